package io.tideline.store;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.jdbc.core.JdbcTemplate;

import io.tideline.model.MetricResult;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The PostgreSQL side of declared metrics: one batch's metric results as {@code metric_windows} rows, written in
 * the sink's transaction. Only the newest update of each window in a batch is written; sessions an update
 * superseded are deleted with it.
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
    private final Map<String, Object[]> rows = new LinkedHashMap<>();
    private final List<Object[]> superseded = new ArrayList<>();

    /** @param stored whether a metric's results go to PostgreSQL (its {@code to}) */
    MetricWindowRows(Predicate<String> stored) {
        this.stored = stored;
    }

    void add(ConsumerRecord<String, byte[]> record, MetricResult r) {
        if (!stored.test(r.getMetric())) {
            return;
        }
        ObjectNode figures = JSON.createObjectNode();
        r.getValues().forEach((k, v) -> {
            if (v == null) {
                figures.putNull(k);
            } else {
                figures.put(k, v);
            }
        });
        rows.put(r.getMetric() + '\0' + r.getGroupKey() + '\0' + r.getWindowStart().toEpochMilli(), new Object[] {
                r.getMetric(), r.getGroupKey(), Timestamp.from(r.getWindowStart()), Timestamp.from(r.getWindowEnd()),
                r.getWindowKind(), r.getLane(), r.getFinal$(), r.getCount(), figures.toString(),
                Timestamp.from(r.getLastEventTime()), record.partition(), record.offset()});
        r.getSuperseded().forEach(start -> superseded.add(new Object[] {r.getMetric(), r.getGroupKey(), Timestamp.from(start)}));
    }

    void write(JdbcTemplate jdbc) {
        TypedBatch.update(jdbc, DELETE_SUPERSEDED, superseded);
        TypedBatch.update(jdbc, UPSERT, new ArrayList<>(rows.values()));
    }
}
