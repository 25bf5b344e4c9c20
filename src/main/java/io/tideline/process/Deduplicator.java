package io.tideline.process;

import java.time.Duration;
import java.util.function.Predicate;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import io.micrometer.core.instrument.Counter;
import io.tideline.model.EventEnvelope;
import io.tideline.observe.PipelineMetrics;

/**
 * Passes each event id once. Ids are remembered in a window store indexed by ingest time, not event time, so
 * that a client sending old (or future) event times cannot make the store forget ids early; the store's
 * changelog makes the memory survive restarts, and exactly-once makes "seen" and "forwarded" one atomic fact.
 * Retries of one event carry the same partition key, so they meet in the same task.
 */
final class Deduplicator implements FixedKeyProcessor<String, EventEnvelope, EventEnvelope> {

    static final String STORE = "dedupe-ids";

    private final long retentionMs;
    private final Predicate<String> deduplicated;
    private final Counter unique;
    private final Counter duplicate;
    private FixedKeyProcessorContext<String, EventEnvelope> context;
    private WindowStore<String, Long> seen;

    /** @param deduplicated the event types configured exactly-once; the others pass without a lookup */
    Deduplicator(Duration retention, Predicate<String> deduplicated, PipelineMetrics metrics) {
        this.retentionMs = retention.toMillis();
        this.deduplicated = deduplicated;
        this.unique = metrics.stageCounter("dedupe", "unique");
        this.duplicate = metrics.stageCounter("dedupe", "duplicate");
    }

    @Override
    public void init(FixedKeyProcessorContext<String, EventEnvelope> context) {
        this.context = context;
        this.seen = context.getStateStore(STORE);
    }

    @Override
    public void process(FixedKeyRecord<String, EventEnvelope> record) {
        if (!deduplicated.test(record.value().getType())) {
            context.forward(record); // at-least-once: a client retry may count twice, for a store read and write less
            return;
        }
        String id = record.value().getId();
        long ingest = record.value().getIngestTime().toEpochMilli();
        try (WindowStoreIterator<Long> earlier = seen.fetch(id, ingest - retentionMs, ingest + retentionMs)) {
            if (earlier.hasNext()) {
                duplicate.increment();
                return;
            }
        }
        seen.put(id, ingest, ingest);
        unique.increment();
        context.forward(record);
    }
}
