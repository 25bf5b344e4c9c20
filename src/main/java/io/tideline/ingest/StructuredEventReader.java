package io.tideline.ingest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tideline.schema.FieldViolation;
import tools.jackson.databind.JsonNode;

/** Reads a CloudEvent in structured JSON form (HTTP structured/batch mode, Kafka structured mode). */
final class StructuredEventReader {

    private StructuredEventReader() {
    }

    static IncomingEvent read(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new InvalidEventException(null, List.of(new FieldViolation("$", "a CloudEvent must be a JSON object")));
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String name = e.getKey();
            if (name.equals("data") || name.equals("data_base64")) {
                continue;
            }
            JsonNode value = e.getValue();
            if (!value.isNull()) {
                attributes.put(name, value.isString() ? value.stringValue() : value.toString());
            }
        }
        if (node.has("data_base64")) {
            throw new InvalidEventException(attributes.get(CloudEventAttributes.ID),
                    List.of(new FieldViolation("data_base64", "binary data is not accepted; send JSON in \"data\"")));
        }
        return new IncomingEvent(attributes, node.get("data"), null);
    }
}
