package io.tideline.process;

import io.tideline.model.AggregateScope;

/**
 * Names one aggregated series: an event type as a whole (scope TYPE) or one partition key of a type (scope KEY).
 * Encoded as the Kafka key of the aggregates topic so that all updates of a series share a partition and arrive
 * in order — which is what lets the stores fence replays by offset.
 */
public record SeriesKey(AggregateScope scope, String eventType, String key) {

    private static final char SEPARATOR = '|';

    public static SeriesKey ofType(String eventType) {
        return new SeriesKey(AggregateScope.TYPE, eventType, "");
    }

    public static SeriesKey ofKey(String eventType, String key) {
        return new SeriesKey(AggregateScope.KEY, eventType, key);
    }

    public String encode() {
        return scope.name() + SEPARATOR + eventType + SEPARATOR + key;
    }

    /** Event types never contain the separator; keys may, so the key is everything after the second one. */
    public static SeriesKey parse(String encoded) {
        int first = encoded.indexOf(SEPARATOR);
        int second = encoded.indexOf(SEPARATOR, first + 1);
        if (first < 0 || second < 0) {
            throw new IllegalArgumentException("not a series key: " + encoded);
        }
        return new SeriesKey(AggregateScope.valueOf(encoded.substring(0, first)),
                encoded.substring(first + 1, second), encoded.substring(second + 1));
    }
}
