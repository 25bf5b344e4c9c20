package io.tideline.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.tideline.model.AggregateScope;
import io.tideline.model.WindowAggregate;

/**
 * The fields of a Redis hash holding one window aggregate (docs/architecture.md, "Read models"): written by the
 * sink, read by the queries and the chaos check, so both directions live here.
 */
public final class ReadModelHash {

    private ReadModelHash() {
    }

    public static Map<String, String> fields(WindowAggregate a) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("scope", a.getScope().name());
        fields.put("eventType", a.getEventType());
        fields.put("seriesKey", a.getSeriesKey());
        fields.put("part", Integer.toString(a.getPart()));
        fields.put("windowStart", Long.toString(a.getWindowStart().toEpochMilli()));
        fields.put("windowEnd", Long.toString(a.getWindowEnd().toEpochMilli()));
        fields.put("count", Long.toString(a.getCount()));
        fields.put("sum", plain(a.getSum()));
        fields.put("min", plain(a.getMin()));
        fields.put("max", plain(a.getMax()));
        fields.put("mean", plain(AggregateMean.of(a)));
        fields.put("lastEventTime", Long.toString(a.getLastEventTime().toEpochMilli()));
        return fields;
    }

    /** Null for an empty (absent) hash. */
    public static WindowAggregate aggregate(Map<?, ?> hash) {
        if (hash.isEmpty()) {
            return null;
        }
        return WindowAggregate.newBuilder()
                .setScope(AggregateScope.valueOf(str(hash, "scope")))
                .setEventType(str(hash, "eventType"))
                .setSeriesKey(str(hash, "seriesKey"))
                .setPart(hash.get("part") == null ? -1 : Integer.parseInt(str(hash, "part")))
                .setWindowStart(Instant.ofEpochMilli(Long.parseLong(str(hash, "windowStart"))))
                .setWindowEnd(Instant.ofEpochMilli(Long.parseLong(str(hash, "windowEnd"))))
                .setCount(Long.parseLong(str(hash, "count")))
                .setSum(decimal(hash, "sum"))
                .setMin(decimal(hash, "min"))
                .setMax(decimal(hash, "max"))
                .setLastEventTime(Instant.ofEpochMilli(Long.parseLong(str(hash, "lastEventTime"))))
                .build();
    }

    private static String plain(BigDecimal value) {
        return value == null ? "" : value.stripTrailingZeros().toPlainString();
    }

    private static String str(Map<?, ?> hash, String field) {
        Object v = hash.get(field);
        return v == null ? null : v.toString();
    }

    /** Avro's decimal fields carry scale 6; the hash holds them stripped. */
    private static BigDecimal decimal(Map<?, ?> hash, String field) {
        String v = str(hash, field);
        return v == null || v.isEmpty() ? null : new BigDecimal(v).setScale(6);
    }
}
