package io.tideline.serve;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.tideline.config.Guarantee;
import io.tideline.model.EventFamily;
import io.tideline.observe.PipelineMetrics;
import io.tideline.process.StreamsRunner;
import io.tideline.store.SinkLoop;

/**
 * Assembles the dashboard's once-a-second picture: rates since the previous snapshot, totals, the read-model
 * latency p99, sink lag, and each type's current window count. Called from the single live-feed thread.
 */
public class DashboardSnapshots {

    /** What the dashboard's header, throughput panel and type table show. */
    public record Snapshot(Instant time, String guarantee, String streamsState, double eventsPerSecond,
                           double storedPerSecond, long accepted, long duplicates, long deadLettered, long alerts,
                           Double readModelP99Ms, Map<String, Long> sinkLag, Map<String, String> breakers,
                           Map<String, Map<String, Object>> types) {
    }

    private final PipelineMetrics metrics;
    private final ReadModelQueries readModel;
    private final StreamsRunner streams;
    private final List<SinkLoop> sinks;
    private final String guarantee;
    private final Function<String, Guarantee> guarantees;
    private long previousNanos = System.nanoTime();
    private double previousEvents;
    private double previousStored;

    public DashboardSnapshots(PipelineMetrics metrics, ReadModelQueries readModel, StreamsRunner streams,
                              List<SinkLoop> sinks, String guarantee, Function<String, Guarantee> guarantees) {
        this.metrics = metrics;
        this.readModel = readModel;
        this.streams = streams;
        this.sinks = sinks;
        this.guarantee = guarantee;
        this.guarantees = guarantees;
    }

    public synchronized Snapshot take() {
        long now = System.nanoTime();
        double seconds = Math.max(1e-3, (now - previousNanos) / 1e9);
        double events = metrics.stageCount("dedupe", "unique");
        Timer stored = metrics.latencyTimer(PipelineMetrics.POSTGRES);
        double storedCount = stored.count();
        Snapshot snapshot = new Snapshot(Instant.now(), guarantee,
                streams.state() == null ? "STOPPED" : streams.state().name(),
                (events - previousEvents) / seconds, (storedCount - previousStored) / seconds,
                (long) events, (long) metrics.stageCount("dedupe", "duplicate"),
                (long) metrics.stageCount("normalize", "invalid"), (long) metrics.stageCount("anomaly", "alert"),
                p99Millis(metrics.latencyTimer(PipelineMetrics.READ_MODEL)), sinkLag(), breakers(), typeCounts());
        previousNanos = now;
        previousEvents = events;
        previousStored = storedCount;
        return snapshot;
    }

    private Map<String, Long> sinkLag() {
        Map<String, Long> lag = new LinkedHashMap<>();
        sinks.forEach(s -> lag.put(s.name(), s.lag()));
        return lag;
    }

    private Map<String, String> breakers() {
        Map<String, String> states = new LinkedHashMap<>();
        sinks.forEach(s -> states.put(s.name(), s.breakerState().name()));
        return states;
    }

    private Map<String, Map<String, Object>> typeCounts() {
        Map<String, Map<String, Object>> types = new LinkedHashMap<>();
        for (EventFamily family : EventFamily.values()) {
            AggregateView latest = readModel.latest(family.type(), null);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("financial", family.financial());
            row.put("guarantee", guarantees.apply(family.type()).label());
            row.put("windowStart", latest == null ? null : latest.windowStart());
            row.put("count", latest == null ? 0 : latest.count());
            row.put("mean", latest == null ? null : latest.mean());
            types.put(family.type(), row);
        }
        return types;
    }

    private static Double p99Millis(Timer timer) {
        if (timer.count() == 0) {
            return null;
        }
        for (ValueAtPercentile p : timer.takeSnapshot().percentileValues()) {
            if (p.percentile() == 0.99) {
                return p.value(java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        }
        return null;
    }
}
