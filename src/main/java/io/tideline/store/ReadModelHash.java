package io.tideline.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
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

    /**
     * The hash's fields in the order the sink sends their values: first those fixed for a window, then, from
     * {@link #FIRST_CHANGING} on and {@code count} first, those an update within the window changes — the sink's
     * script writes only these when the hash already holds the window.
     */
    static final List<String> FIELDS = List.of("scope", "eventType", "seriesKey", "part", "windowStart", "windowEnd",
            "count", "sum", "min", "max", "mean", "lastEventTime");
    static final int FIRST_CHANGING = 6;

    /** The values of {@link #FIELDS}, in that order. */
    static List<String> values(WindowAggregate a) {
        return List.of(a.getScope().name(), a.getEventType(), a.getSeriesKey(), Integer.toString(a.getPart()),
                Long.toString(a.getWindowStart().toEpochMilli()), Long.toString(a.getWindowEnd().toEpochMilli()),
                Long.toString(a.getCount()), plain(a.getSum()), plain(a.getMin()), plain(a.getMax()),
                plain(AggregateMean.of(a)), Long.toString(a.getLastEventTime().toEpochMilli()));
    }

    public static Map<String, String> fields(WindowAggregate a) {
        List<String> values = values(a);
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < FIELDS.size(); i++) {
            fields.put(FIELDS.get(i), values.get(i));
        }
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
