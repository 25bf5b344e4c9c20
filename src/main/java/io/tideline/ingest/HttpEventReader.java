package io.tideline.ingest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads the CloudEvents HTTP binding: structured ({@code application/cloudevents+json}), batch
 * ({@code application/cloudevents-batch+json}) and binary mode ({@code ce-*} headers, JSON data).
 */
public final class HttpEventReader {

    static final String HEADER_PREFIX = "ce-";

    private final ObjectMapper json;
    private final int maxBatchSize;

    public HttpEventReader(ObjectMapper json, int maxBatchSize) {
        this.json = json;
        this.maxBatchSize = maxBatchSize;
    }

    /**
     * @param headers request headers, names lower-cased
     * @throws UnsupportedContentTypeException for a content type no binding uses (HTTP 415)
     * @throws MalformedRequestException       when the body cannot be read as the binding says (HTTP 400)
     */
    public List<IncomingEvent> read(String contentType, Map<String, String> headers, byte[] body) {
        String essence = MediaTypes.essence(contentType);
        boolean binaryMode = headers.containsKey(HEADER_PREFIX + CloudEventAttributes.SPECVERSION);
        if (MediaTypes.CLOUDEVENTS_JSON.equals(essence)) {
            return List.of(readStructured(parse(body)));
        }
        if (MediaTypes.CLOUDEVENTS_BATCH_JSON.equals(essence)) {
            return readBatch(parse(body));
        }
        if (MediaTypes.isJson(essence)) {
            if (!binaryMode) {
                throw new MalformedRequestException("binary mode needs the ce-specversion, ce-id, ce-source and ce-type headers; "
                        + "or send the event as application/cloudevents+json");
            }
            return List.of(readBinary(essence, headers, body));
        }
        throw new UnsupportedContentTypeException(contentType);
    }

    private IncomingEvent readStructured(JsonNode node) {
        try {
            return StructuredEventReader.read(node);
        } catch (InvalidEventException e) {
            throw new InvalidEventsException(List.of(new InvalidEventsException.Rejection(0, e.eventId(), e.violations())));
        }
    }

    private List<IncomingEvent> readBatch(JsonNode node) {
        if (!node.isArray()) {
            throw new MalformedRequestException("a batch must be a JSON array of CloudEvents");
        }
        if (node.isEmpty()) {
            throw new MalformedRequestException("a batch must hold at least one event");
        }
        if (node.size() > maxBatchSize) {
            throw new MalformedRequestException("a batch holds at most " + maxBatchSize + " events, got " + node.size());
        }
        List<IncomingEvent> events = new ArrayList<>(node.size());
        List<InvalidEventsException.Rejection> rejections = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            try {
                events.add(StructuredEventReader.read(node.get(i)));
            } catch (InvalidEventException e) {
                rejections.add(new InvalidEventsException.Rejection(i, e.eventId(), e.violations()));
            }
        }
        if (!rejections.isEmpty()) {
            throw new InvalidEventsException(rejections);
        }
        return events;
    }

    private IncomingEvent readBinary(String contentType, Map<String, String> headers, byte[] body) {
        Map<String, String> attributes = new LinkedHashMap<>();
        headers.forEach((name, value) -> {
            if (name.startsWith(HEADER_PREFIX)) {
                attributes.put(name.substring(HEADER_PREFIX.length()).toLowerCase(Locale.ROOT), value);
            }
        });
        attributes.put(CloudEventAttributes.DATACONTENTTYPE, contentType);
        JsonNode data = body.length == 0 ? null : parse(body);
        return new IncomingEvent(attributes, data, null);
    }

    private JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw new MalformedRequestException("the request body is empty");
        }
        try {
            return json.readTree(body);
        } catch (JacksonException e) {
            throw new MalformedRequestException("the body is not valid JSON: " + e.getOriginalMessage());
        }
    }
}
