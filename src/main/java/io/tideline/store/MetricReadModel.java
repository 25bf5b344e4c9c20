package io.tideline.store;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import io.tideline.model.MetricResult;
import io.tideline.model.MetricWindowView;

/**
 * The Redis hash of a declared metric's group key: its latest window, one field per attribute and {@code v:<name>}
 * per figure (absent when no event had the field). Written by the sink, read by the query side.
 */
public final class MetricReadModel {

    private static final String VALUE = "v:";

    private MetricReadModel() {
    }

    static Map<String, String> fields(MetricResult m) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("metric", m.getMetric());
        f.put("lane", m.getLane());
        f.put("windowKind", m.getWindowKind());
        f.put("groupKey", m.getGroupKey());
        f.put("windowStart", Long.toString(m.getWindowStart().toEpochMilli()));
        f.put("windowEnd", Long.toString(m.getWindowEnd().toEpochMilli()));
        f.put("final", Boolean.toString(m.getFinal$()));
        f.put("count", Long.toString(m.getCount()));
        f.put("lastEventTime", Long.toString(m.getLastEventTime().toEpochMilli()));
        m.getValues().forEach((k, v) -> {
            if (v != null) {
                f.put(VALUE + k, Double.toString(v));
            }
        });
        return f;
    }

    /** The view of a hash read back, or null if there is none. */
    public static MetricWindowView view(Map<Object, Object> hash) {
        if (hash == null || hash.isEmpty()) {
            return null;
        }
        Map<String, Double> values = new TreeMap<>();
        hash.forEach((k, v) -> {
            if (k.toString().startsWith(VALUE)) {
                values.put(k.toString().substring(VALUE.length()), Double.parseDouble(v.toString()));
            }
        });
        return new MetricWindowView(s(hash, "metric"), s(hash, "lane"), s(hash, "windowKind"), s(hash, "groupKey"),
                Instant.ofEpochMilli(Long.parseLong(s(hash, "windowStart"))), Instant.ofEpochMilli(Long.parseLong(s(hash, "windowEnd"))),
                Boolean.parseBoolean(s(hash, "final")), Long.parseLong(s(hash, "count")), values,
                Instant.ofEpochMilli(Long.parseLong(s(hash, "lastEventTime"))));
    }

    private static String s(Map<Object, Object> hash, String field) {
        Object v = hash.get(field);
        return v == null ? null : v.toString();
    }
}
