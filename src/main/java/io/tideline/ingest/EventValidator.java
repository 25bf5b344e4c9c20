package io.tideline.ingest;

import static io.tideline.ingest.CloudEventAttributes.*;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;

import io.tideline.model.EventEnvelope;
import io.tideline.model.EventFamily;
import io.tideline.schema.FieldViolation;
import io.tideline.schema.JsonPayloadDecoder;
import io.tideline.schema.SchemaViolationException;
import io.tideline.schema.registry.PayloadSchema;
import io.tideline.schema.registry.PayloadSchemas;
import io.tideline.schema.registry.WireFormat;

/**
 * Turns a received CloudEvent into a canonical {@link EventEnvelope}, or says everything that is wrong with it.
 * One validator serves both entry paths (HTTP and Kafka), so an event means the same whichever way it came.
 */
public final class EventValidator {

    private static final int MAX_ATTRIBUTE_LENGTH = 1024;
    private static final Pattern SCHEMA_ID_URL = Pattern.compile("/schemas/ids/(\\d+)/?$");

    private final JsonPayloadDecoder jsonDecoder = new JsonPayloadDecoder();
    private final PayloadSchemas schemas;

    public EventValidator(PayloadSchemas schemas) {
        this.schemas = schemas;
    }

    /** A payload as the pipeline reads it, and as it was written when that was with another schema version. */
    private record Decoded(SpecificRecord payload, int schemaId, byte[] asWritten) {
    }

    public EventEnvelope validate(IncomingEvent event, Instant ingestTime) {
        List<FieldViolation> violations = new ArrayList<>();
        String specversion = event.attribute(SPECVERSION);
        if (specversion == null) {
            violations.add(new FieldViolation(SPECVERSION, "is required"));
        } else if (!SPEC_VERSION_1_0.equals(specversion)) {
            violations.add(new FieldViolation(SPECVERSION, "must be \"1.0\", got \"" + specversion + "\""));
        }
        String id = requireText(event, ID, violations);
        String source = requireText(event, SOURCE, violations);
        String type = requireText(event, TYPE, violations);
        Optional<EventFamily> family = EventFamily.forType(type);
        if (type != null && family.isEmpty()) {
            violations.add(new FieldViolation(TYPE, "unknown event type \"" + type + "\"; known types: " + EventFamily.knownTypes()));
        }
        Instant time = parseTime(event.attribute(TIME), violations);
        String subject = optionalText(event, SUBJECT, violations);
        String partitionKey = optionalText(event, PARTITIONKEY, violations);
        String contentType = event.attribute(DATACONTENTTYPE);
        if (event.avroData() == null && contentType != null && !MediaTypes.isJson(contentType)) {
            violations.add(new FieldViolation(DATACONTENTTYPE, "must be application/json (or a +json type), got \"" + contentType + "\""));
        }

        Decoded data = null;
        if (family.isPresent()) {
            try {
                data = decodeData(event, family.get());
            } catch (SchemaViolationException e) {
                violations.addAll(e.violations());
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidEventException(id, violations);
        }
        return EventEnvelope.newBuilder()
                .setId(id)
                .setSource(source)
                .setType(type)
                .setSubject(subject)
                .setTime(time == null ? ingestTime : time)
                .setIngestTime(ingestTime)
                .setPartitionKey(partitionKey != null ? partitionKey : family.get().naturalKey(data.payload()))
                .setPayload(data.payload())
                .setPayloadSchemaId(data.schemaId())
                .setPayloadAsWritten(data.asWritten() == null ? null : ByteBuffer.wrap(data.asWritten()))
                .build();
    }

    /**
     * Avro data names its schema version by id (the registry wire format); JSON data is checked against the version
     * the event's {@code dataschema} names (a registry URL ending {@code /schemas/ids/<id>}), else the newest one
     * registered for its type.
     */
    private Decoded decodeData(IncomingEvent event, EventFamily family) {
        try {
            if (event.avroData() != null) {
                if (!WireFormat.isFramed(event.avroData())) {
                    throw violation("data", "Avro data must be in the schema registry wire format (magic byte 0, "
                            + "4-byte schema id, Avro binary)");
                }
                PayloadSchema writer = schemas.byId(WireFormat.schemaId(event.avroData()), family);
                return new Decoded(writer.decode(event.avroData()), writer.id(), writer.compiled() ? null : event.avroData());
            }
            if (event.jsonData() == null || event.jsonData().isNull() || event.jsonData().isMissingNode()) {
                throw violation("data", "is required for type " + family.type());
            }
            PayloadSchema writer = namedSchema(event, family);
            if (writer.compiled()) {
                return new Decoded(jsonDecoder.decode(event.jsonData(), writer.schema()), writer.id(), null);
            }
            byte[] asWritten = writer.encode(jsonDecoder.decode(event.jsonData(), writer.schema(), writer.model()));
            return new Decoded(writer.decode(asWritten), writer.id(), asWritten);
        } catch (PayloadSchema.IncompatibleSchemaException e) {
            throw violation(event.avroData() != null ? "data" : DATASCHEMA, e.getMessage());
        } catch (SerializationException e) {
            throw violation("data", e.getMessage());
        }
    }

    private PayloadSchema namedSchema(IncomingEvent event, EventFamily family) {
        String dataschema = event.attribute(DATASCHEMA);
        Matcher byId = dataschema == null ? null : SCHEMA_ID_URL.matcher(dataschema);
        if (byId != null && byId.find()) {
            try {
                return schemas.byId(Integer.parseInt(byId.group(1)), family);
            } catch (NumberFormatException e) {
                throw violation(DATASCHEMA, "schema id out of range: \"" + dataschema + "\"");
            } catch (PayloadSchemas.SchemaUnavailableException e) {
                throw violation(DATASCHEMA, "names no schema this registry holds: " + e.getMessage());
            }
        }
        return schemas.current(family);
    }

    private static SchemaViolationException violation(String field, String reason) {
        return new SchemaViolationException(List.of(new FieldViolation(field, reason)));
    }

    private static String requireText(IncomingEvent event, String name, List<FieldViolation> violations) {
        String value = event.attribute(name);
        if (value == null || value.isBlank()) {
            violations.add(new FieldViolation(name, "is required and must be a non-empty string"));
            return null;
        }
        return checkLength(name, value, violations);
    }

    private static String optionalText(IncomingEvent event, String name, List<FieldViolation> violations) {
        String value = event.attribute(name);
        if (value == null) {
            return null;
        }
        if (value.isBlank()) {
            violations.add(new FieldViolation(name, "must not be empty when present"));
            return null;
        }
        return checkLength(name, value, violations);
    }

    private static String checkLength(String name, String value, List<FieldViolation> violations) {
        if (value.length() > MAX_ATTRIBUTE_LENGTH) {
            violations.add(new FieldViolation(name, "is longer than " + MAX_ATTRIBUTE_LENGTH + " characters"));
        }
        return value;
    }

    private static Instant parseTime(String value, List<FieldViolation> violations) {
        if (value == null) {
            return null;
        }
        try {
            return Rfc3339.parse(value);
        } catch (DateTimeParseException e) {
            violations.add(new FieldViolation(TIME, "must be an RFC 3339 timestamp (e.g. 2026-11-22T10:15:30Z), got \"" + value + "\""));
            return null;
        }
    }
}
