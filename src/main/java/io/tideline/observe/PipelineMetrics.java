package io.tideline.observe;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The pipeline's own meters, one place so that names and tags stay consistent across stages (see
 * docs/architecture.md#observability). Per-record code holds the {@link Counter} or {@link Timer} it was given
 * once; the by-name methods are for per-batch and per-request use.
 */
public class PipelineMetrics {

    public static final String STAGE_RECORDS = "tideline.stage.records";
    public static final String INGEST_EVENTS = "tideline.ingest.events";
    public static final String LATENCY = "tideline.latency";
    public static final String LATE_EVENTS = "tideline.late.events";
    public static final String ANALYTICS_OUTPUT = "tideline.analytics.output";
    /** Latency stages: visible in the Redis read model, committed in PostgreSQL. */
    public static final String READ_MODEL = "read_model";
    public static final String POSTGRES = "postgres";

    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Timer> latencies = new ConcurrentHashMap<>();

    public PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Records that passed a stage, by outcome (e.g. normalize/valid, dedupe/duplicate, postgres/written). */
    public Counter stageCounter(String stage, String outcome) {
        return counters.computeIfAbsent(stage + '/' + outcome, k -> Counter.builder(STAGE_RECORDS)
                .description("Records that passed a pipeline stage, by outcome")
                .tag("stage", stage).tag("outcome", outcome).register(registry));
    }

    /** Events too late for a declared metric's windows, sent to the late-events topic. */
    public Counter lateEvents(String metric) {
        return counters.computeIfAbsent("late/" + metric, k -> Counter.builder(LATE_EVENTS)
                .description("Events later than a declared metric's grace, sent to the late-events topic")
                .tag("metric", metric).register(registry));
    }

    /** Output of a declared metric (window values) or rule (alerts), by lane. */
    public Counter analyticsOutput(String kind, String name, String lane) {
        return counters.computeIfAbsent("analytics/" + kind + "/" + name, k -> Counter.builder(ANALYTICS_OUTPUT)
                .description("Window values and alerts of the declared metrics and rules, by lane")
                .tag("kind", kind).tag("name", name).tag("lane", lane).register(registry));
    }

    public void stageRecords(String stage, String outcome, long count) {
        stageCounter(stage, outcome).increment(count);
    }

    /** Events offered over HTTP, by outcome (accepted, rejected). */
    public void ingestEvents(String outcome, long count) {
        counters.computeIfAbsent("ingest/" + outcome, k -> Counter.builder(INGEST_EVENTS)
                .description("Events offered to the HTTP ingest API, by outcome")
                .tag("outcome", outcome).register(registry)).increment(count);
    }

    /** End-to-end latency from an event's time to the moment a stage made it visible. */
    public Timer latencyTimer(String stage) {
        return latencies.computeIfAbsent(stage, s -> Timer.builder(LATENCY)
                .description("Event time to visible in a store")
                .tag("stage", s)
                .publishPercentiles(0.5, 0.95, 0.99, 0.999)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(2))
                .register(registry));
    }

    /** Records a latency, counting a producer clock ahead of ours as zero rather than dropping the sample. */
    public static void record(Timer timer, Duration latency) {
        timer.record(latency.isNegative() ? Duration.ZERO : latency);
    }

    public double stageCount(String stage, String outcome) {
        Counter counter = counters.get(stage + '/' + outcome);
        return counter == null ? 0 : counter.count();
    }
}
