package io.tideline.process.analytics;

import java.util.HashMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a reference record (a JSON object) into the fields rules see as {@code <enrichment>.<field>}: numbers as
 * BigDecimal, text, booleans; nested objects and arrays are not fields. A record that is not a JSON object counts as
 * absent (and is counted), never as an error that stops the stream.
 */
final class ReferenceData {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final Counter malformed;

    ReferenceData(Counter malformed) {
        this.malformed = malformed;
    }

    Map<String, Object> parse(String json) {
        if (json == null) {
            return null;
        }
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JacksonException e) {
            malformed.increment();
            return null;
        }
        if (node == null || !node.isObject()) {
            malformed.increment();
            return null;
        }
        Map<String, Object> fields = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            JsonNode v = e.getValue();
            if (v.isNumber()) {
                fields.put(e.getKey(), v.decimalValue());
            } else if (v.isString()) {
                fields.put(e.getKey(), v.asString());
            } else if (v.isBoolean()) {
                fields.put(e.getKey(), v.asBoolean());
            }
        }
        return fields;
    }
}
