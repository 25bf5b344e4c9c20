package io.tideline.store;

import java.sql.Timestamp;
import java.util.Collection;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.springframework.jdbc.core.JdbcTemplate;

import io.tideline.model.MetricResult;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The PostgreSQL side of declared metrics: metric results as {@code metric_windows} rows. Only the newest update of
 * each window is written; a session an update superseded is deleted instead, even if an earlier update of that
 * session is among the rows not yet written (else it would be written after its delete, and stay).
 */
final class MetricWindowRows {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final String UPSERT = """
            insert into metric_windows (metric, group_key, window_start, window_end, window_kind, lane, final, count,
                                        figures, last_event_time, updated_at, source_partition, source_offset)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, now(), ?, ?)
            on conflict (metric, group_key, window_start) do update set
                window_end = excluded.window_end, final = excluded.final, count = excluded.count,
                figures = excluded.figures, last_event_time = excluded.last_event_time, updated_at = excluded.updated_at,
                source_partition = excluded.source_partition, source_offset = excluded.source_offset
            where metric_windows.source_offset < excluded.source_offset""";
    private static final String DELETE_SUPERSEDED = """
            delete from metric_windows where metric = ? and group_key = ? and window_start = ? and final = false""";

    private final Predicate<String> stored;
    private final HeldRows upserts = new HeldRows();
    private final HeldRows deletes = new HeldRows();

    /** @param stored whether a metric's results go to PostgreSQL (its {@code to}) */
    MetricWindowRows(Predicate<String> stored) {
        this.stored = stored;
    }

    /** @return whether the result is to be written (its metric is stored in PostgreSQL) */
    boolean add(TopicPartition partition, ConsumerRecord<String, byte[]> record, MetricResult r) {
        if (!stored.test(r.getMetric())) {
            return false;
        }
        ObjectNode figures = JSON.createObjectNode();
        r.getValues().forEach((k, v) -> {
            if (v == null) {
                figures.putNull(k);
            } else {
                figures.put(k, v);
            }
        });
        String key = key(r.getMetric(), r.getGroupKey(), r.getWindowStart().toEpochMilli());
        deletes.remove(key);
        upserts.put(key, partition, record.offset(), new Object[] {
                r.getMetric(), r.getGroupKey(), Timestamp.from(r.getWindowStart()), Timestamp.from(r.getWindowEnd()),
                r.getWindowKind(), r.getLane(), r.getFinal$(), r.getCount(), figures.toString(),
                Timestamp.from(r.getLastEventTime()), record.partition(), record.offset()});
        r.getSuperseded().forEach(start -> {
            String gone = key(r.getMetric(), r.getGroupKey(), start.toEpochMilli());
            upserts.remove(gone);
            deletes.put(gone, partition, record.offset(), new Object[] {r.getMetric(), r.getGroupKey(), Timestamp.from(start)});
        });
        return true;
    }

    private static String key(String metric, String groupKey, long windowStart) {
        return metric + '\0' + groupKey + '\0' + windowStart;
    }

    /** A key is in at most one of the two, so their order does not matter; deletes first all the same. */
    void write(JdbcTemplate jdbc) {
        TypedBatch.update(jdbc, DELETE_SUPERSEDED, deletes.values());
        TypedBatch.update(jdbc, UPSERT, upserts.values());
    }

    int size() {
        return upserts.size() + deletes.size();
    }

    void discard(Collection<TopicPartition> partitions) {
        upserts.discard(partitions);
        deletes.discard(partitions);
    }

    void clear() {
        upserts.clear();
        deletes.clear();
    }
}
