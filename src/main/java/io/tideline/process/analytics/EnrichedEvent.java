package io.tideline.process.analytics;

import java.util.HashMap;
import java.util.Map;

import org.apache.avro.generic.GenericRecord;

import io.tideline.model.EventEnvelope;

/**
 * An event with the reference data joined onto it, as the declared rules see it: {@link #field} resolves the names a
 * definition may use (docs/definitions.md#fields).
 */
public record EnrichedEvent(EventEnvelope event, Map<String, Map<String, Object>> references) {

    public static EnrichedEvent of(EventEnvelope event) {
        return new EnrichedEvent(event, Map.of());
    }

    public EnrichedEvent with(String enrichment, Map<String, Object> reference) {
        Map<String, Map<String, Object>> all = new HashMap<>(references);
        all.put(enrichment, reference);
        return new EnrichedEvent(event, all);
    }

    public String type() {
        return event.getType();
    }

    public long time() {
        return event.getTime().toEpochMilli();
    }

    /** A CloudEvents attribute, a payload field, {@code map.entry} of a map field, or {@code enrichment.field}; null if absent. */
    public Object field(String path) {
        switch (path) {
            case "id": return event.getId();
            case "type": return event.getType();
            case "source": return event.getSource();
            case "subject": return event.getSubject();
            case "time": return time();
            case "key": return event.getPartitionKey();
            default: break;
        }
        int dot = path.indexOf('.');
        String head = dot < 0 ? path : path.substring(0, dot);
        if (dot > 0 && references.containsKey(head)) {
            Map<String, Object> reference = references.get(head);
            return reference == null ? null : reference.get(path.substring(dot + 1));
        }
        GenericRecord payload = (GenericRecord) event.getPayload();
        if (!payload.hasField(head)) {
            return null;
        }
        Object value = payload.get(head);
        if (dot > 0) {
            return value instanceof Map<?, ?> map ? mapEntry(map, path.substring(dot + 1)) : null;
        }
        return value;
    }

    /** Avro maps are keyed by Utf8 or String depending on the reader: look up by text. */
    private static Object mapEntry(Map<?, ?> map, String key) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (e.getKey().toString().equals(key)) {
                return e.getValue() == null ? null : e.getValue().toString();
            }
        }
        return null;
    }
}
