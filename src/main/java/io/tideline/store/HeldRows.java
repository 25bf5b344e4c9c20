package io.tideline.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

/**
 * The rows one statement is to write, the newest per key, each with the partition of the record it came from, so
 * that what a partition contributed can be forgotten when that partition is to be read again.
 */
final class HeldRows {

    record Row(TopicPartition source, long offset, Object[] values) {
    }

    private final Map<String, Row> rows = new LinkedHashMap<>();

    void put(String key, TopicPartition source, long offset, Object[] values) {
        rows.put(key, new Row(source, offset, values));
    }

    void remove(String key) {
        rows.remove(key);
    }

    Collection<Row> rows() {
        return rows.values();
    }

    List<Object[]> values() {
        List<Object[]> values = new ArrayList<>(rows.size());
        for (Row row : rows.values()) {
            values.add(row.values());
        }
        return values;
    }

    void discard(Collection<TopicPartition> partitions) {
        rows.values().removeIf(row -> partitions.contains(row.source()));
    }

    int size() {
        return rows.size();
    }

    void clear() {
        rows.clear();
    }
}
