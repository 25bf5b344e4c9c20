package io.tideline.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.tideline.model.EventEnvelope;
import io.tideline.model.EventFamily;
import io.tideline.schema.AvroSerde;
import io.tideline.schema.FieldViolation;
import io.tideline.schema.registry.WireFormat;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * The CloudEvents Kafka protocol binding: structured mode (the whole event as JSON in the value,
 * {@code content-type: application/cloudevents+json}) and binary mode (attributes as {@code ce_*} headers, the
 * data in the value). Tideline's own ingest writes binary mode with Avro data; other clients may write either
 * mode with JSON data, or Avro data in the schema registry's wire format ({@code content-type: application/avro}).
 */
public final class KafkaCloudEventBinding {

    public static final String HEADER_PREFIX = "ce_";
    public static final String CONTENT_TYPE = "content-type";

    /** One per family, made once: a serde builds its datum writer and reader from the schema. */
    private static final Map<EventFamily, AvroSerde<SpecificRecord>> PAYLOAD_SERDES = new EnumMap<>(EventFamily.class);

    static {
        for (EventFamily family : EventFamily.values()) {
            PAYLOAD_SERDES.put(family, AvroSerde.of(family.schema()));
        }
    }

    private final ObjectMapper json;

    public KafkaCloudEventBinding(ObjectMapper json) {
        this.json = json;
    }

    /** Binary-mode headers for a validated event whose value will be the Avro encoding of its payload. */
    public Headers headersFor(EventEnvelope event) {
        RecordHeaders headers = new RecordHeaders();
        add(headers, CloudEventAttributes.SPECVERSION, CloudEventAttributes.SPEC_VERSION_1_0);
        add(headers, CloudEventAttributes.ID, event.getId());
        add(headers, CloudEventAttributes.SOURCE, event.getSource());
        add(headers, CloudEventAttributes.TYPE, event.getType());
        add(headers, CloudEventAttributes.TIME, event.getTime().toString());
        add(headers, CloudEventAttributes.PARTITIONKEY, event.getPartitionKey());
        if (event.getSubject() != null) {
            add(headers, CloudEventAttributes.SUBJECT, event.getSubject());
        }
        headers.add(CONTENT_TYPE, MediaTypes.AVRO.getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    /**
     * The record value for {@link #headersFor}: the payload in the schema registry's wire format, as it was written
     * (a validated event always knows its schema id) — so no field of a newer version than the pipeline's is lost.
     */
    public byte[] valueFor(EventEnvelope event) {
        if (event.getPayloadAsWritten() != null) {
            return WireFormat.copyOf(event.getPayloadAsWritten());
        }
        if (event.getPayloadSchemaId() == null) {
            throw new IllegalStateException("event " + event.getId() + " has no payload schema id: not validated");
        }
        SpecificRecord payload = (SpecificRecord) event.getPayload();
        return WireFormat.frame(event.getPayloadSchemaId(), PAYLOAD_SERDES.get(EventFamily.of(payload)).toBytes(payload));
    }

    /** Reads a record from the ingest topic in either mode; throws {@link InvalidEventException} if unreadable. */
    public IncomingEvent read(Headers headers, byte[] value) {
        String contentType = MediaTypes.essence(text(headers.lastHeader(CONTENT_TYPE)));
        boolean binaryMode = headers.lastHeader(HEADER_PREFIX + CloudEventAttributes.SPECVERSION) != null;
        if (!binaryMode) {
            if (contentType != null && !MediaTypes.CLOUDEVENTS_JSON.equals(contentType)) {
                throw new InvalidEventException(null, List.of(new FieldViolation(CONTENT_TYPE,
                        "structured mode needs application/cloudevents+json (or ce_* headers for binary mode), got \"" + contentType + "\"")));
            }
            return StructuredEventReader.read(parse(value, "$"));
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Header header : headers) {
            if (header.key().startsWith(HEADER_PREFIX)) {
                attributes.put(header.key().substring(HEADER_PREFIX.length()), text(header));
            }
        }
        if (MediaTypes.AVRO.equals(contentType)) {
            return new IncomingEvent(attributes, null, value);
        }
        if (contentType != null) {
            attributes.put(CloudEventAttributes.DATACONTENTTYPE, contentType);
        }
        return new IncomingEvent(attributes, value == null ? null : parse(value, "data"), null);
    }

    private tools.jackson.databind.JsonNode parse(byte[] value, String field) {
        if (value == null) {
            throw new InvalidEventException(null, List.of(new FieldViolation(field, "record value is empty")));
        }
        try {
            return json.readTree(value);
        } catch (JacksonException e) {
            throw new InvalidEventException(null, List.of(new FieldViolation(field, "is not valid JSON: " + e.getOriginalMessage())));
        }
    }

    private static void add(RecordHeaders headers, String attribute, String value) {
        headers.add(HEADER_PREFIX + attribute, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(Header header) {
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The record timestamp Tideline's own ingest writes: the time it accepted the event. */
    public static long timestampFor(EventEnvelope event) {
        Instant ingest = event.getIngestTime();
        return ingest.toEpochMilli();
    }
}
