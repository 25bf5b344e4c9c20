package io.tideline.support;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Builds CloudEvents for tests: structured JSON, and the Kafka binary-mode headers a plain client writes. */
public final class CloudEvents {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private CloudEvents() {
    }

    public static ObjectNode event(String id, String type, Instant time, ObjectNode data) {
        ObjectNode event = NODES.objectNode()
                .put("specversion", "1.0")
                .put("id", id)
                .put("source", "/tests")
                .put("type", type)
                .put("time", time.toString());
        event.set("data", data);
        return event;
    }

    public static ObjectNode payment(String id, String account, String amount, Instant time) {
        return event(id, "payment", time, NODES.objectNode()
                .put("paymentId", "p-" + id)
                .put("account", account)
                .put("merchant", "m-1")
                .put("amount", new BigDecimal(amount))
                .put("currency", "EUR")
                .put("country", "DE")
                .put("channel", "ONLINE"));
    }

    public static ObjectNode metric(String id, String name, double value, Instant time) {
        ObjectNode data = NODES.objectNode().put("name", name).put("value", value);
        data.set("tags", NODES.objectNode().put("host", "h1"));
        return event(id, "metric-sample", time, data);
    }

    public static ObjectNode login(String id, String account, Instant time) {
        return event(id, "account-activity", time, NODES.objectNode()
                .put("account", account).put("action", "LOGIN").put("ip", "10.0.0.1").put("country", "DE"));
    }

    /** Kafka binary mode: attributes as ce_ headers, JSON data as the value. */
    public static RecordHeaders binaryHeaders(ObjectNode event) {
        RecordHeaders headers = new RecordHeaders();
        for (Map.Entry<String, JsonNode> e : event.properties()) {
            if (!e.getKey().equals("data")) {
                headers.add("ce_" + e.getKey(), e.getValue().stringValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        headers.add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    public static byte[] binaryValue(ObjectNode event) {
        return event.get("data").toString().getBytes(StandardCharsets.UTF_8);
    }

    public static RecordHeaders structuredHeaders() {
        return new RecordHeaders(new Header[] {new RecordHeader("content-type",
                "application/cloudevents+json".getBytes(StandardCharsets.UTF_8))});
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static String header(org.apache.kafka.common.header.Headers headers, String key) {
        Header h = headers.lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
