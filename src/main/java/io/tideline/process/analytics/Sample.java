package io.tideline.process.analytics;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

import io.tideline.definition.Aggregation;

/**
 * What one event contributes to a metric: per aggregation, the field's number (NaN when the event lacks it), or
 * for {@code distinct} the 64-bit hash of its value (0 when absent).
 */
record Sample(long time, double[] numbers, long[] hashes) {

    static Sample of(EnrichedEvent event, List<Aggregation> aggregations) {
        return of(event.time(), event::field, aggregations);
    }

    /** @param fields resolves a field name of the event, as {@link EnrichedEvent#field} does */
    static Sample of(long time, Function<String, Object> fields, List<Aggregation> aggregations) {
        double[] numbers = new double[aggregations.size()];
        long[] hashes = new long[aggregations.size()];
        for (int i = 0; i < numbers.length; i++) {
            Aggregation a = aggregations.get(i);
            numbers[i] = Double.NaN;
            if (a.field() == null) {
                continue;
            }
            Object value = fields.apply(a.field());
            if (a.function() == Aggregation.Function.DISTINCT) {
                hashes[i] = value == null ? 0 : hash(value.toString());
            } else {
                numbers[i] = number(value);
            }
        }
        return new Sample(time, numbers, hashes);
    }

    static double number(Object value) {
        if (value instanceof BigDecimal d) {
            return d.doubleValue();
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        return Double.NaN;
    }

    /** FNV-1a over UTF-8, finished with SplitMix64's mixer: 64 bits make collisions negligible for a window's values. */
    static long hash(String value) {
        long h = 0xcbf29ce484222325L;
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        h ^= h >>> 31;
        return h == 0 ? 1 : h; // 0 means "absent"
    }
}
