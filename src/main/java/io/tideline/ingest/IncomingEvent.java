package io.tideline.ingest;

import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * A CloudEvent as received, before validation: its context attributes in string form (as the HTTP and Kafka
 * bindings carry them) and its data, either JSON or Avro binary (Tideline's own producers write Avro).
 */
public record IncomingEvent(Map<String, String> attributes, JsonNode jsonData, byte[] avroData) {

    public String attribute(String name) {
        return attributes.get(name);
    }

    /** The id as far as it can be told, for error reports about events that are invalid. */
    public String idOrNull() {
        return attributes.get(CloudEventAttributes.ID);
    }
}
