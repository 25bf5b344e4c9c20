package io.tideline.process;

import java.time.Duration;
import java.util.function.Predicate;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

import io.micrometer.core.instrument.Counter;
import io.tideline.model.EventEnvelope;
import io.tideline.observe.PipelineMetrics;

/**
 * Passes each event id once. Ids are remembered by ingest time, not event time, so that a client sending old (or
 * future) event times cannot make the store forget ids early; the store's changelog makes the memory survive
 * restarts, and exactly-once makes "seen" and "forwarded" one atomic fact. Retries of one event carry the same
 * partition key, so they meet in the same task.
 * <p>Nearly every id is new, so the lookup must be cheap when it finds nothing. An id is stored under the start of
 * its ingest-time bucket (half the retention), which makes "seen within the retention?" four point lookups —
 * RocksDB gets, which its bloom filters answer for an absent id without reading data — instead of a range scan,
 * which no bloom filter can shortcut (the scan was 11 % of the stream thread, docs/benchmarks.md). Buckets cover
 * the retention before the ingest time and at least half of it after (a retry sent by a client whose clock is
 * behind the first attempt's); the store keeps a bucket for the retention past its start plus one bucket, and an
 * id found is a duplicate only if it was seen within the retention.
 */
final class Deduplicator implements FixedKeyProcessor<String, EventEnvelope, EventEnvelope> {

    static final String STORE = "dedupe-ids";

    /** Buckets looked up, relative to the ingest time's own, the most likely first. */
    private static final int[] LOOKUP_ORDER = {0, -1, -2, 1};

    private final long retentionMs;
    private final long bucketMs;
    private final Predicate<String> deduplicated;
    private final Counter unique;
    private final Counter duplicate;
    private FixedKeyProcessorContext<String, EventEnvelope> context;
    private WindowStore<String, Long> seen;

    /** @param deduplicated the event types configured exactly-once; the others pass without a lookup */
    Deduplicator(Duration retention, Predicate<String> deduplicated, PipelineMetrics metrics) {
        this.retentionMs = retention.toMillis();
        this.bucketMs = bucket(retention).toMillis();
        this.deduplicated = deduplicated;
        this.unique = metrics.stageCounter("dedupe", "unique");
        this.duplicate = metrics.stageCounter("dedupe", "duplicate");
    }

    /**
     * Not cached: every id is new, so a cache would fold nothing and only move the writes into a burst at each
     * commit (measured: read-model p99 4x longer at 1,500 events/s, docs/benchmarks.md).
     */
    static StoreBuilder<WindowStore<String, Long>> store(Duration retention) {
        Duration bucket = bucket(retention);
        return Stores.windowStoreBuilder(Stores.persistentWindowStore(STORE, retention.plus(bucket), bucket, false),
                Serdes.String(), Serdes.Long());
    }

    private static Duration bucket(Duration retention) {
        return retention.dividedBy(2);
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
        long bucketStart = ingest - Math.floorMod(ingest, bucketMs);
        for (int offset : LOOKUP_ORDER) {
            Long seenAt = seen.fetch(id, bucketStart + offset * bucketMs);
            if (seenAt != null && ingest - seenAt <= retentionMs) {
                duplicate.increment();
                return;
            }
        }
        seen.put(id, ingest, bucketStart);
        unique.increment();
        context.forward(record);
    }
}
