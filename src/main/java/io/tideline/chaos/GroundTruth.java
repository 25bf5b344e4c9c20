package io.tideline.chaos;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Every event Kafka acknowledged to the load generator: what the pipeline must end up holding, exactly once. */
final class GroundTruth {

    /** An accepted event as far as verification needs it. */
    record Event(String id, String type, String key, Instant time, BigDecimal measure, boolean anomaly) {
    }

    private final Map<String, Event> accepted = new ConcurrentHashMap<>();

    static Event describe(ObjectNode cloudEvent, String partitionKey, boolean anomaly) {
        String type = cloudEvent.get("type").stringValue();
        JsonNode data = cloudEvent.get("data");
        BigDecimal measure = switch (type) {
            case "payment" -> data.get("amount").decimalValue();
            case "metric-sample" -> BigDecimal.valueOf(data.get("value").doubleValue());
            default -> null;
        };
        return new Event(cloudEvent.get("id").stringValue(), type, partitionKey,
                Instant.parse(cloudEvent.get("time").stringValue()), measure, anomaly);
    }

    void accept(Event event) {
        accepted.put(event.id(), event);
    }

    Collection<Event> events() {
        return accepted.values();
    }

    int size() {
        return accepted.size();
    }

    boolean contains(String id) {
        return accepted.containsKey(id);
    }
}
