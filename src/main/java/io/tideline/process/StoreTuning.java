package io.tideline.process;

import java.util.Map;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.HashLinkedListMemTableConfig;
import org.rocksdb.Options;

/**
 * RocksDB settings for the pipeline's stores. A memtable has no bloom filter by default, so a lookup of an absent
 * key searches its skip list: the dedupe store, whose lookups are nearly all of absent ids in a memtable holding
 * the last minutes' ids, spent most of its time there (async-profiler: {@code MemTable::Get} was 8 % of the stream
 * thread at 5,000 events/s, docs/benchmarks.md). A whole-key memtable filter answers those at the cost of a few
 * percent of the memtable's memory; the SST files already have one (Kafka Streams' default).
 * <p>The dedupe store's memtable is a hash table of linked lists instead of one skip list. Its ids are random, so
 * every insert into a skip list descends it from the top, a dozen levels of nodes scattered over a memtable of
 * 200,000 ids — a cache miss at nearly each, on a box whose cache the broker, PostgreSQL and Redis share: the put
 * was 30 % of the stream thread at 8,000 events/s (docs/benchmarks.md), several times its cost in isolation. A hash
 * bucket per id prefix makes it one or two. The store is only ever read by point lookups (a window store's
 * {@code fetch(key, time)}) and written by puts and restores, never iterated, so a memtable without a total order
 * costs it nothing; the other stores are iterated (window ranges) and keep the skip list.
 */
public final class StoreTuning implements RocksDBConfigSetter {

    /** Share of the write buffer given to the memtable's bloom filter. */
    static final double MEMTABLE_BLOOM_RATIO = 0.05;

    /**
     * Bytes of a dedupe key hashed to its bucket: the id's first bytes (a UUID's 36), or the whole key when shorter.
     * Any function of the key would do for point lookups; the id's bytes spread the ids over the buckets.
     */
    static final int DEDUPE_PREFIX_BYTES = 36;

    /** About the ids one 16 MB write buffer (Kafka Streams' default) holds: one bucket each. */
    static final long DEDUPE_BUCKETS = 200_000;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        options.setMemtableWholeKeyFiltering(true);
        options.setMemtablePrefixBloomSizeRatio(MEMTABLE_BLOOM_RATIO);
        if (isDedupeSegment(storeName)) {
            options.useCappedPrefixExtractor(DEDUPE_PREFIX_BYTES);
            options.setMemTableConfig(new HashLinkedListMemTableConfig().setBucketCount(DEDUPE_BUCKETS));
            options.setAllowConcurrentMemtableWrite(false); // a hash memtable takes one writer, as a task is
        }
    }

    /** A window store's segments are stores of their own, named after it: {@code dedupe-ids.<segment start>}. */
    static boolean isDedupeSegment(String storeName) {
        return storeName.startsWith(Deduplicator.STORE + ".");
    }

    @Override
    public void close(String storeName, Options options) {
        // nothing allocated here
    }
}
