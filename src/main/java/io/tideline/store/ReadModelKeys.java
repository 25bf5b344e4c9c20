package io.tideline.store;

import io.tideline.model.AggregateScope;

/**
 * The Redis keys of the read models (documented in docs/architecture.md). The sink writes them; the query side
 * reads them; both go through here so the layout has one definition.
 */
public final class ReadModelKeys {

    public static final String PREFIX = "tl:";
    /** Hash per sink (lane): field {@code topic:partition} → last offset it applied. */
    public static String offsets(String sink) {
        return PREFIX + "offsets:" + sink;
    }

    /**
     * String: a random id set when the sink first writes to an empty Redis. Every write checks it, so a Redis that
     * restarted empty or was flushed is noticed and the read model rebuilt from the log, never half-filled.
     */
    public static final String EPOCH = PREFIX + "epoch";
    /** Sorted set of event types with a per-type aggregate, scored by latest window start. */
    public static final String TYPES = PREFIX + "agg:types";
    /** Sorted set of alert ids, scored by event time (ms). */
    public static final String RECENT_ALERTS = PREFIX + "alerts:recent";
    /** Hash: alert id → alert JSON. */
    public static final String ALERT_DATA = PREFIX + "alerts:data";

    private ReadModelKeys() {
    }

    /** Hash holding the latest window of a series. */
    public static String series(AggregateScope scope, String eventType, String key) {
        return scope == AggregateScope.TYPE ? PREFIX + "agg:type:" + eventType : PREFIX + "agg:key:" + eventType + ":" + key;
    }

    /** Sorted set of the keys of a type that have a per-key aggregate, scored by latest window start. */
    public static String keysOf(String eventType) {
        return PREFIX + "agg:keys:" + eventType;
    }
}
