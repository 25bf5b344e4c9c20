package io.tideline.process;

import java.util.Map;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Options;

/**
 * RocksDB settings for the pipeline's stores. A memtable has no bloom filter by default, so a lookup of an absent
 * key searches its skip list: the dedupe store, whose lookups are nearly all of absent ids in a memtable holding
 * the last minutes' ids, spent most of its time there (async-profiler: {@code MemTable::Get} was 8 % of the stream
 * thread at 5,000 events/s, docs/benchmarks.md). A whole-key memtable filter answers those at the cost of a few
 * percent of the memtable's memory; the SST files already have one (Kafka Streams' default).
 */
public final class StoreTuning implements RocksDBConfigSetter {

    /** Share of the write buffer given to the memtable's bloom filter. */
    static final double MEMTABLE_BLOOM_RATIO = 0.05;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        options.setMemtableWholeKeyFiltering(true);
        options.setMemtablePrefixBloomSizeRatio(MEMTABLE_BLOOM_RATIO);
    }

    @Override
    public void close(String storeName, Options options) {
        // nothing allocated here
    }
}
