package io.tideline.process;

import java.time.Duration;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;

import io.micrometer.core.instrument.Counter;
import io.tideline.model.EventEnvelope;
import io.tideline.model.WindowAggregate;
import io.tideline.model.internal.SeriesStats;
import io.tideline.observe.PipelineMetrics;

/**
 * Folds each event into two tumbling-window series without leaving its task: the event's own key (events are
 * partitioned by it, so the whole series is here) and this task's partial of the event's type. A per-type
 * figure is the merge of the partials of every ingest partition, done by the stores (see
 * {@code AggregateParts}).
 * <p>Why not the DSL's {@code groupBy().windowedBy()}: re-keying by series forces a repartition topic, and under
 * exactly-once a repartition hop is read committed, so every aggregate would wait for one more transaction
 * commit — the largest term of end-to-end latency. Staying in the task costs a per-type merge at read time,
 * over at most one partial per ingest partition.
 * <p>A key's update is forwarded at once (the store's record cache folds writes, not output); a type's part at
 * most every {@code tideline.streams.type-emit-interval}. The sinks coalesce updates of a series per batch.
 */
final class WindowedSeriesAggregator implements Processor<String, EventEnvelope, String, WindowAggregate> {

    static final String STORE = "series-windows";
    static final String TYPE_PARTS_STORE = "type-part-windows";

    private final long windowMs;
    private final long graceMs;
    private final Duration typeEmitInterval;
    private final Counter late;
    /** A type's part of one window. */
    private record TypeWindow(String type, long windowStart) {
    }

    /** A series' window in one of the two stores. */
    private record Slot(boolean typePart, long windowStart, String key) {
    }

    /** Parts changed since the last emission, in first-change order. */
    private final Set<TypeWindow> dirty = new LinkedHashSet<>();
    /**
     * The open windows' figures as objects, in front of the stores: a store hands out a copy deserialized from its
     * record cache on every read (two Avro decodes per event). Only this processor writes these stores, and a task
     * that restarts gets a new processor, so the two never disagree. Windows leave it once closed (end + grace).
     */
    private final Map<Slot, SeriesStats> open = new HashMap<>();
    private long lastForget = Long.MIN_VALUE;
    private ProcessorContext<String, WindowAggregate> context;
    private WindowStore<String, SeriesStats> keyWindows;
    private WindowStore<String, SeriesStats> typeParts;
    private int part;

    WindowedSeriesAggregator(Duration window, Duration grace, Duration typeEmitInterval, PipelineMetrics metrics) {
        this.windowMs = window.toMillis();
        this.graceMs = grace.toMillis();
        this.typeEmitInterval = typeEmitInterval;
        this.late = metrics.stageCounter("aggregate", "late_dropped");
    }

    @Override
    public void init(ProcessorContext<String, WindowAggregate> context) {
        this.context = context;
        this.keyWindows = context.getStateStore(STORE);
        this.typeParts = context.getStateStore(TYPE_PARTS_STORE);
        this.part = context.taskId().partition();
        // The state is the stores' alone: should this instance run init again (a task revived in place after its
        // state was found corrupted), what the maps held belongs to work that was never committed.
        open.clear();
        dirty.clear();
        lastForget = Long.MIN_VALUE;
        // A type's part changes with every event of the type in this partition; emitting it that often would
        // double the output for a figure that merges parts anyway. It goes out on a short wall-clock beat instead.
        context.schedule(typeEmitInterval, PunctuationType.WALL_CLOCK_TIME, now -> emitTypeParts());
        // The last changes before a crash or a rebalance may not have gone out: every part still in the store
        // (open windows only: the store keeps a window plus its grace) goes out again. Parts are whole values.
        try (KeyValueIterator<Windowed<String>, SeriesStats> all = typeParts.all()) {
            all.forEachRemaining(kv -> markDirty(kv.key.key(), kv.key.window().start()));
        }
    }

    @Override
    public void process(Record<String, EventEnvelope> record) {
        long windowStart = record.timestamp() - Math.floorMod(record.timestamp(), windowMs);
        long windowEnd = windowStart + windowMs;
        // Late means: the window had closed (end + grace) by the time the pipeline received the event. The task's
        // stream time follows the ingest records' timestamps (arrival), not event times, so a client with a clock
        // far ahead cannot close everyone's windows, and catching up after an outage makes nothing late. It is
        // committed with the input offsets, so a replay drops exactly what the first run dropped.
        if (windowEnd + graceMs <= context.currentStreamTimeMs()) {
            late.increment();
            return;
        }
        forgetClosedWindows();
        EventEnvelope event = record.value();
        SeriesKey byKey = SeriesKey.ofKey(event.getType(), record.key());
        SeriesStats keyStats = add(keyWindows, byKey.encode(), windowStart, event);
        WindowAggregate aggregate = SeriesStatsAggregator.toAggregate(byKey, windowStart, windowEnd, keyStats);
        context.forward(record.withKey(byKey.encode()).withValue(aggregate));

        add(typeParts, event.getType(), windowStart, event);
        markDirty(event.getType(), windowStart);
    }

    private SeriesStats add(WindowStore<String, SeriesStats> store, String key, long windowStart, EventEnvelope event) {
        SeriesStats current = current(store, key, windowStart);
        SeriesStats next = SeriesStatsAggregator.add(event, current == null ? SeriesStatsAggregator.empty() : current);
        store.put(key, next, windowStart);
        // Windows ahead of the stream's time (a client clock far ahead) stay in the store only: they would
        // otherwise stay in memory until the stream's time reached them.
        if (windowStart <= context.currentStreamTimeMs()) {
            open.put(slot(store, key, windowStart), next);
        }
        return next;
    }

    private SeriesStats current(WindowStore<String, SeriesStats> store, String key, long windowStart) {
        SeriesStats cached = open.get(slot(store, key, windowStart));
        return cached != null ? cached : store.fetch(key, windowStart);
    }

    private Slot slot(WindowStore<String, SeriesStats> store, String key, long windowStart) {
        return new Slot(store == typeParts, windowStart, key);
    }

    /** Drops the figures of windows that closed (end + grace passed), once per window length of stream time. */
    private void forgetClosedWindows() {
        long now = context.currentStreamTimeMs();
        if (lastForget != Long.MIN_VALUE && now - lastForget < windowMs) {
            return;
        }
        lastForget = now;
        open.keySet().removeIf(slot -> slot.windowStart() + windowMs + graceMs <= now);
    }

    private void markDirty(String type, long windowStart) {
        dirty.add(new TypeWindow(type, windowStart));
    }

    private void emitTypeParts() {
        for (TypeWindow changed : dirty) {
            SeriesStats stats = current(typeParts, changed.type(), changed.windowStart());
            if (stats == null) {
                continue; // the window expired from the store since it changed
            }
            SeriesKey series = SeriesKey.ofType(changed.type());
            WindowAggregate aggregate = SeriesStatsAggregator.toAggregate(series, changed.windowStart(),
                    changed.windowStart() + windowMs, stats);
            aggregate.setPart(part);
            // All parts of a type share one output key, hence one aggregates partition and one PostgreSQL
            // writer, which keeps the merge of the parts free of concurrent read-modify-write.
            context.forward(new Record<>(series.encode(), aggregate, stats.getLastEventTime().toEpochMilli()));
        }
        dirty.clear();
    }
}
