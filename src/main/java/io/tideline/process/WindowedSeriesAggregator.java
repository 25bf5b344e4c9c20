package io.tideline.process;

import java.time.Duration;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
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
 * <p>Every update is forwarded at once (the store has no record cache, which would hold updates until the next
 * commit); the sinks coalesce updates of a series per batch.
 */
final class WindowedSeriesAggregator implements Processor<String, EventEnvelope, String, WindowAggregate> {

    static final String STORE = "series-windows";

    private final long windowMs;
    private final long graceMs;
    private final Counter late;
    private ProcessorContext<String, WindowAggregate> context;
    private WindowStore<String, SeriesStats> stats;

    WindowedSeriesAggregator(Duration window, Duration grace, PipelineMetrics metrics) {
        this.windowMs = window.toMillis();
        this.graceMs = grace.toMillis();
        this.late = metrics.stageCounter("aggregate", "late_dropped");
    }

    @Override
    public void init(ProcessorContext<String, WindowAggregate> context) {
        this.context = context;
        this.stats = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, EventEnvelope> record) {
        long windowStart = record.timestamp() - Math.floorMod(record.timestamp(), windowMs);
        long windowEnd = windowStart + windowMs;
        // Late means: the window had closed (end + grace) by the time the pipeline received the event. The task's
        // stream time follows the ingest records' timestamps (arrival), not event times, so a client with a clock
        // far ahead cannot close everyone's windows, and catching up after an outage makes nothing late. It is
        // committed with the input offsets, so a replay drops exactly what the first run dropped — the read
        // model's fencing relies on replayed output being the output that was aborted.
        if (windowEnd + graceMs <= context.currentStreamTimeMs()) {
            late.increment();
            return;
        }
        EventEnvelope event = record.value();
        int part = context.recordMetadata().orElseThrow().partition();
        SeriesKey byKey = SeriesKey.ofKey(event.getType(), record.key());
        SeriesKey byType = SeriesKey.ofType(event.getType());
        forward(record, byKey, -1, event, windowStart, windowEnd);
        // All partials of a type share one output key, hence one aggregates partition and one PostgreSQL writer,
        // which is what keeps the merge of the partials free of concurrent read-modify-write.
        forward(record, byType, part, event, windowStart, windowEnd);
    }

    private void forward(Record<String, EventEnvelope> record, SeriesKey series, int part, EventEnvelope event,
                         long windowStart, long windowEnd) {
        // The store is this task's alone, so a type's key here already means "this partition's partial".
        String storeKey = series.encode();
        SeriesStats current = stats.fetch(storeKey, windowStart);
        SeriesStats next = SeriesStatsAggregator.add(event, current == null ? SeriesStatsAggregator.empty() : current);
        stats.put(storeKey, next, windowStart);
        WindowAggregate aggregate = SeriesStatsAggregator.toAggregate(series, windowStart, windowEnd, next);
        aggregate.setPart(part);
        context.forward(record.withKey(series.encode()).withValue(aggregate));
    }
}
