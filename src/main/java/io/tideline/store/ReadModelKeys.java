package io.tideline.store;

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
    /** Sorted set of event types with a per-type aggregate (some part), scored by latest window start. */
    public static final String TYPES = PREFIX + "agg:types";
    /** Sorted set of alert ids, scored by event time (ms). */
    public static final String RECENT_ALERTS = PREFIX + "alerts:recent";
    /** Hash: alert id → alert JSON. */
    public static final String ALERT_DATA = PREFIX + "alerts:data";

    private ReadModelKeys() {
    }

    /** Hash holding the latest window of a per-key series. */
    public static String series(String eventType, String key) {
        return PREFIX + "agg:key:" + eventType + ":" + key;
    }

    /**
     * Hash holding the latest window of one part of a type's series: the events of one ingest partition. The
     * type's figure is the merge of its parts on their newest window, made when read.
     */
    public static String typePart(String eventType, int part) {
        return PREFIX + "agg:type:" + eventType + ":part:" + part;
    }

    /** Sorted set of the parts of a type, scored by their latest window start. */
    public static String partsOf(String eventType) {
        return PREFIX + "agg:parts:" + eventType;
    }

    /** Sorted set of the keys of a type that have a per-key aggregate, scored by latest window start. */
    public static String keysOf(String eventType) {
        return PREFIX + "agg:keys:" + eventType;
    }

    /** Hash holding the latest window of a declared metric's group key (fields: see {@code MetricReadModel}). */
    public static String metric(String metric, String groupKey) {
        return PREFIX + "metric:" + metric + ":key:" + groupKey;
    }

    /** Sorted set of a declared metric's group keys, scored by the end of their latest window. */
    public static String metricKeys(String metric) {
        return PREFIX + "metric:" + metric + ":keys";
    }
}
