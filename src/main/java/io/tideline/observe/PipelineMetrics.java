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
