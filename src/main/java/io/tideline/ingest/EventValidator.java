package io.tideline.ingest;

import static io.tideline.ingest.CloudEventAttributes.*;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;

import io.tideline.model.EventEnvelope;
import io.tideline.model.EventFamily;
import io.tideline.schema.AvroSerde;
import io.tideline.schema.FieldViolation;
import io.tideline.schema.JsonPayloadDecoder;
import io.tideline.schema.SchemaViolationException;

/**
 * Turns a received CloudEvent into a canonical {@link EventEnvelope}, or says everything that is wrong with it.
 * One validator serves both entry paths (HTTP and Kafka), so an event means the same whichever way it came.
 */
public final class EventValidator {

    private static final int MAX_ATTRIBUTE_LENGTH = 1024;

    private final JsonPayloadDecoder jsonDecoder = new JsonPayloadDecoder();

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

        SpecificRecord payload = null;
        if (family.isPresent()) {
            try {
                payload = decodeData(event, family.get());
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
                .setPartitionKey(partitionKey != null ? partitionKey : family.get().naturalKey(payload))
                .setPayload(payload)
                .build();
    }

    private SpecificRecord decodeData(IncomingEvent event, EventFamily family) {
        if (event.avroData() != null) {
            try {
                return AvroSerde.<SpecificRecord>of(family.schema()).fromBytes(event.avroData());
            } catch (SerializationException e) {
                throw new SchemaViolationException(List.of(new FieldViolation("data", e.getMessage())));
            }
        }
        if (event.jsonData() == null || event.jsonData().isNull() || event.jsonData().isMissingNode()) {
            throw new SchemaViolationException(List.of(new FieldViolation("data", "is required for type " + family.type())));
        }
        return jsonDecoder.decode(event.jsonData(), family.schema());
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
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            violations.add(new FieldViolation(TIME, "must be an RFC 3339 timestamp (e.g. 2026-11-22T10:15:30Z), got \"" + value + "\""));
            return null;
        }
    }
}
