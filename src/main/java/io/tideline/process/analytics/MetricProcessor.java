package io.tideline.process.analytics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import io.micrometer.core.instrument.Counter;
import io.tideline.config.TidelineProperties;
import io.tideline.definition.Lane;
import io.tideline.definition.MetricDefinition;
import io.tideline.model.MetricResult;
import io.tideline.observe.PipelineMetrics;

/**
 * Computes one declared metric in event time over the records of its task (keyed by the metric's group key).
 * Subclasses decide which windows an event falls in; this class owns what all kinds share:
 * <ul>
 * <li><b>lateness</b>: an event whose windows have all closed (end + grace behind the {@link EventTimeFrontier}) is
 * sent to the late-events topic with the reason, and counted — never dropped silently;</li>
 * <li><b>output</b>: fast-lane windows go out on every update, standard-lane ones on a beat
 * ({@code tideline.analytics.emit-interval}), and every window once more, {@code final}, when it closes;</li>
 * <li><b>closing</b>: on a wall-clock beat, so windows of quiet keys and partitions close too.</li>
 * </ul>
 */
public abstract class MetricProcessor implements Processor<String, EnrichedEvent, String, Emitted> {

    /** Headers of a late event: which metric refused it and why. */
    public static final String LATE_METRIC_HEADER = "tideline.late.metric";
    public static final String LATE_REASON_HEADER = "tideline.late.reason";

    protected final MetricDefinition metric;
    protected final long grace;
    private final TidelineProperties.Analytics config;
    private final Counter late;
    private final Counter results;
    private final EventTimeFrontier frontier;
    /** Standard lane: windows changed since the last beat, by store key. */
    private final Map<String, MetricWindow> dirty = new LinkedHashMap<>();
    private ProcessorContext<String, Emitted> context;
    protected MetricStore store;

    MetricProcessor(MetricDefinition metric, TidelineProperties.Analytics config, PipelineMetrics metrics) {
        this.metric = metric;
        this.grace = metric.window().grace().toMillis();
        this.config = config;
        this.frontier = new EventTimeFrontier(config.maxClockSkew());
        this.late = metrics.lateEvents(metric.name());
        this.results = metrics.analyticsOutput("metric", metric.name(), metric.lane().label());
    }

    static MetricProcessor of(MetricDefinition metric, TidelineProperties.Analytics config, PipelineMetrics metrics) {
        return switch (metric.window().kind()) {
            case TUMBLING, HOPPING -> new FixedWindowMetric(metric, config, metrics);
            case SLIDING -> new SlidingWindowMetric(metric, config, metrics);
            case SESSION -> new SessionWindowMetric(metric, config, metrics);
        };
    }

    @Override
    public void init(ProcessorContext<String, Emitted> context) {
        this.context = context;
        // Kafka Streams may initialise a processor again in place (a task revived after its state was found
        // corrupted): windows pending from before are work that was never committed, and the replay redoes it.
        dirty.clear();
        this.store = new MetricStore(context.getStateStore(MetricStore.name(metric)), metric.aggregations());
        frontier.restore(store.streamTime(), context.currentSystemTimeMs());
        context.schedule(config.closeCheckInterval(), PunctuationType.WALL_CLOCK_TIME, this::closeDue);
        if (metric.lane() == Lane.STANDARD) {
            context.schedule(config.emitInterval(), PunctuationType.WALL_CLOCK_TIME, now -> flushDirty());
        }
    }

    @Override
    public void process(Record<String, EnrichedEvent> record) {
        long now = context.currentSystemTimeMs();
        long time = record.value().time();
        if (frontier.observe(time, now)) {
            store.streamTime(time);
        }
        long current = frontier.at(now);
        String reason = add(record.key(), Sample.of(record.value(), metric.aggregations()), current);
        if (reason != null) {
            late.increment();
            Headers headers = new RecordHeaders(record.headers().toArray())
                    .add(LATE_METRIC_HEADER, metric.name().getBytes(StandardCharsets.UTF_8))
                    .add(LATE_REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
            context.forward(new Record<>(record.key(), Emitted.late(record.value().event()), record.timestamp(), headers));
        }
        if (current >= store.nextClose()) {
            closeDue(now);
        }
    }

    /**
     * Folds the sample into its windows that are still open at event time {@code frontier}.
     * @return null if it was counted somewhere, else why it was too late
     */
    protected abstract String add(String groupKey, Sample sample, long frontier);

    /** A window's value changed. */
    protected void changed(MetricWindow window) {
        changed(window, List.of());
    }

    protected void changed(MetricWindow window, List<Long> superseded) {
        if (metric.lane() == Lane.FAST || !superseded.isEmpty()) {
            emit(window, superseded);
        } else {
            dirty.put(window.groupKey + '\0' + window.start, window);
        }
    }

    /** A window no longer exists (absorbed into a session): an update still pending for it is dropped. */
    protected void removed(MetricWindow window) {
        dirty.remove(window.groupKey + '\0' + window.start);
    }

    protected String lateReason(long eventTime, long closedAt, long frontier) {
        return "event time " + Instant.ofEpochMilli(eventTime) + " is in windows of " + metric.name()
                + " that closed at " + Instant.ofEpochMilli(closedAt) + " (end + grace " + Duration.ofMillis(grace)
                + "); event time had reached " + Instant.ofEpochMilli(frontier);
    }

    private void closeDue(long now) {
        long current = frontier.at(now);
        if (current == Long.MIN_VALUE) {
            return;
        }
        for (MetricWindow w : store.takeClosing(current)) {
            w.closed = true;
            store.put(w);
            store.scheduleExpiry(w, w.end + grace + config.keepClosed().toMillis());
            dirty.remove(w.groupKey + '\0' + w.start);
            emit(w, List.of());
        }
        for (MetricWindow w : store.takeExpired(current)) {
            store.delete(w);
        }
        forget(current);
    }

    /** Drops per-key state no window can use any more (sliding windows' old events). */
    protected void forget(long frontier) {
    }

    private void flushDirty() {
        for (MetricWindow w : dirty.values()) {
            emit(w, List.of());
        }
        dirty.clear();
    }

    private void emit(MetricWindow w, List<Long> superseded) {
        results.increment();
        MetricResult result = MetricResult.newBuilder()
                .setMetric(metric.name())
                .setLane(metric.lane().label())
                .setWindowKind(metric.window().kind().name().toLowerCase())
                .setGroupKey(w.groupKey)
                .setWindowStart(Instant.ofEpochMilli(w.start))
                .setWindowEnd(Instant.ofEpochMilli(w.end))
                .setFinal$(w.closed)
                .setCount(w.state.count())
                .setValues(w.state.values())
                .setLastEventTime(Instant.ofEpochMilli(w.state.lastEventTime()))
                .setSuperseded(superseded.stream().map(Instant::ofEpochMilli).toList())
                .build();
        context.forward(new Record<>(metric.name() + '|' + w.groupKey, Emitted.result(result), w.state.lastEventTime()));
    }
}
