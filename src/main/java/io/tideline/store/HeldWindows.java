package io.tideline.store;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.springframework.jdbc.core.JdbcTemplate;

import io.tideline.model.AggregateScope;
import io.tideline.model.MetricResult;
import io.tideline.model.WindowAggregate;

/**
 * The PostgreSQL sink's window rows — series aggregates, a type's parts and the type's row merged from them,
 * declared metrics' windows — held back across batches and written together at most once per flush interval.
 * <p>A window's record is its absolute value, sent again for every change, and a sink batch is about one commit
 * interval of the pipeline: written per batch, the same windows were upserted every tenth of a second, ~0.75
 * upserts per event at 5,000 events/s, as much of PostgreSQL's time as the events' own inserts. Held for a
 * second, a window is written once with its newest value.
 * <p>Nothing is acknowledged early for it: while a partition has rows held, the offset the sink stores for it
 * stays at the first record held, so whatever is held when the process dies is read from the log again. Records
 * after that offset that were already written (the events are, at once) are harmless to read again, as every
 * write is idempotent on its own (docs/design/exactly-once.md, W3).
 */
final class HeldWindows {

    /** Rows held at most, whatever the interval: bounds the memory of many distinct series. */
    static final int MAX_ROWS = 20_000;

    private static final String UPSERT_AGGREGATE = """
            insert into window_aggregates (scope, event_type, series_key, window_start, window_end, count, sum, min, max,
                                           mean, last_event_time, updated_at, source_partition, source_offset)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now(), ?, ?)
            on conflict (scope, event_type, series_key, window_start) do update set
                count = excluded.count, sum = excluded.sum, min = excluded.min, max = excluded.max, mean = excluded.mean,
                last_event_time = excluded.last_event_time, updated_at = excluded.updated_at,
                source_partition = excluded.source_partition, source_offset = excluded.source_offset
            where window_aggregates.source_offset < excluded.source_offset""";
    private static final String UPSERT_PART = """
            insert into window_aggregate_parts (event_type, window_start, part, window_end, count, sum, min, max,
                                                last_event_time, source_partition, source_offset)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (event_type, window_start, part) do update set
                count = excluded.count, sum = excluded.sum, min = excluded.min, max = excluded.max,
                last_event_time = excluded.last_event_time,
                source_partition = excluded.source_partition, source_offset = excluded.source_offset
            where window_aggregate_parts.source_offset < excluded.source_offset""";
    private static final String SELECT_PARTS = """
            select window_end, count, sum, min, max, last_event_time from window_aggregate_parts
            where event_type = ? and window_start = ?""";
    /** A type's row is derived from its parts, never fenced itself: recomputing it is always right. */
    private static final String UPSERT_MERGED = """
            insert into window_aggregates (scope, event_type, series_key, window_start, window_end, count, sum, min, max,
                                           mean, last_event_time, updated_at, source_partition, source_offset)
            values ('TYPE', ?, '', ?, ?, ?, ?, ?, ?, ?, ?, now(), ?, ?)
            on conflict (scope, event_type, series_key, window_start) do update set
                count = excluded.count, sum = excluded.sum, min = excluded.min, max = excluded.max, mean = excluded.mean,
                last_event_time = excluded.last_event_time, updated_at = excluded.updated_at,
                source_partition = excluded.source_partition, source_offset = excluded.source_offset""";

    private final long intervalMillis;
    private final HeldRows aggregates = new HeldRows();
    private final HeldRows parts = new HeldRows();
    private final MetricWindowRows metrics;
    /** The offset of the first record held, per partition: where the sink reads again if the rows are lost. */
    private final Map<TopicPartition, Long> firstHeld = new HashMap<>();
    private long heldSince = -1;

    /**
     * @param interval how long a row may be held; zero writes every batch's rows with the batch
     * @param metricsStored whether a metric's results go to PostgreSQL
     */
    HeldWindows(Duration interval, Predicate<String> metricsStored) {
        this.intervalMillis = interval.toMillis();
        this.metrics = new MetricWindowRows(metricsStored);
    }

    void add(TopicPartition partition, ConsumerRecord<String, byte[]> record, WindowAggregate a, long nowMillis) {
        String window = record.key() + '@' + a.getWindowStart().toEpochMilli();
        if (a.getPart() < 0) {
            aggregates.put(window, partition, record.offset(), aggregateRow(a, record));
        } else {
            parts.put(window + '#' + a.getPart(), partition, record.offset(), partRow(a, record));
        }
        held(partition, record.offset(), nowMillis);
    }

    void add(TopicPartition partition, ConsumerRecord<String, byte[]> record, MetricResult result, long nowMillis) {
        if (metrics.add(partition, record, result)) {
            held(partition, record.offset(), nowMillis);
        }
    }

    private void held(TopicPartition partition, long offset, long nowMillis) {
        firstHeld.putIfAbsent(partition, offset);
        if (heldSince < 0) {
            heldSince = nowMillis;
        }
    }

    boolean isEmpty() {
        return firstHeld.isEmpty();
    }

    /** Whether the rows are to be written now: the first was held a whole interval ago, or there are too many. */
    boolean due(long nowMillis) {
        return heldSince >= 0 && (nowMillis - heldSince >= intervalMillis
                || aggregates.size() + parts.size() + metrics.size() >= MAX_ROWS);
    }

    /** The offset of the first record held from the partition, or null if none is. */
    Long firstHeld(TopicPartition partition) {
        return firstHeld.get(partition);
    }

    Set<TopicPartition> partitions() {
        return firstHeld.keySet();
    }

    /** Writes every row held, in the caller's transaction; {@link #clear} once that has committed. */
    void write(JdbcTemplate jdbc) {
        TypedBatch.update(jdbc, UPSERT_AGGREGATE, aggregates.values());
        TypedBatch.update(jdbc, UPSERT_PART, parts.values());
        TypedBatch.update(jdbc, UPSERT_MERGED, mergedRows(jdbc));
        metrics.write(jdbc);
    }

    /** The type's row of every window a held part belongs to, from all its parts as the transaction sees them. */
    private List<Object[]> mergedRows(JdbcTemplate jdbc) {
        Map<String, HeldRows.Row> windows = new LinkedHashMap<>();
        for (HeldRows.Row part : parts.rows()) {
            windows.put(part.values()[0] + "@" + part.values()[1], part); // event type, window start
        }
        List<Object[]> rows = new ArrayList<>(windows.size());
        for (HeldRows.Row newest : windows.values()) {
            String eventType = (String) newest.values()[0];
            Timestamp windowStart = (Timestamp) newest.values()[1];
            List<WindowAggregate> all = jdbc.query(SELECT_PARTS, (rs, n) -> WindowAggregate.newBuilder()
                    .setScope(AggregateScope.TYPE).setEventType(eventType).setSeriesKey("").setPart(n)
                    .setWindowStart(windowStart.toInstant()).setWindowEnd(rs.getTimestamp(1).toInstant())
                    .setCount(rs.getLong(2)).setSum(scaled(rs.getBigDecimal(3))).setMin(scaled(rs.getBigDecimal(4)))
                    .setMax(scaled(rs.getBigDecimal(5))).setLastEventTime(rs.getTimestamp(6).toInstant()).build(),
                    eventType, windowStart);
            WindowAggregate a = AggregateParts.merge(all);
            rows.add(new Object[] {a.getEventType(), Timestamp.from(a.getWindowStart()), Timestamp.from(a.getWindowEnd()),
                    a.getCount(), a.getSum(), a.getMin(), a.getMax(), AggregateMean.of(a), Timestamp.from(a.getLastEventTime()),
                    newest.source().partition(), newest.offset()});
        }
        return rows;
    }

    /** Forgets what these partitions contributed: the sink is to read them again from its stored offsets. */
    void discard(Collection<TopicPartition> partitions) {
        aggregates.discard(partitions);
        parts.discard(partitions);
        metrics.discard(partitions);
        firstHeld.keySet().removeAll(partitions);
        if (firstHeld.isEmpty()) {
            heldSince = -1;
        }
    }

    void clear() {
        aggregates.clear();
        parts.clear();
        metrics.clear();
        firstHeld.clear();
        heldSince = -1;
    }

    private static Object[] aggregateRow(WindowAggregate a, ConsumerRecord<String, byte[]> record) {
        return new Object[] {a.getScope().name(), a.getEventType(), a.getSeriesKey(), Timestamp.from(a.getWindowStart()),
                Timestamp.from(a.getWindowEnd()), a.getCount(), a.getSum(), a.getMin(), a.getMax(), AggregateMean.of(a),
                Timestamp.from(a.getLastEventTime()), record.partition(), record.offset()};
    }

    private static Object[] partRow(WindowAggregate a, ConsumerRecord<String, byte[]> record) {
        return new Object[] {a.getEventType(), Timestamp.from(a.getWindowStart()), a.getPart(), Timestamp.from(a.getWindowEnd()),
                a.getCount(), a.getSum(), a.getMin(), a.getMax(), Timestamp.from(a.getLastEventTime()),
                record.partition(), record.offset()};
    }

    private static BigDecimal scaled(BigDecimal d) {
        return d == null ? null : d.setScale(6);
    }
}
