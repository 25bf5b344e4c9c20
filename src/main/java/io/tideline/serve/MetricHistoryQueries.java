package io.tideline.serve;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.jdbc.core.JdbcTemplate;

import io.tideline.definition.MetricDefinition;
import io.tideline.model.MetricWindowView;
import io.tideline.process.analytics.MetricWindows;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Declared metrics from PostgreSQL: the stored windows of streamed metrics ({@code metric_windows}), and the batch
 * lane, computed on demand from the event history with the same aggregation code the stream uses.
 */
public class MetricHistoryQueries {

    /** Events a batch query may read; a longer range is refused rather than left to run for minutes. */
    static final int MAX_BATCH_EVENTS = 2_000_000;

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public MetricHistoryQueries(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public List<MetricWindowView> stored(MetricDefinition metric, String groupKey, Instant from, Instant to, int limit) {
        return jdbc.query("""
                select group_key, window_start, window_end, final, count, figures, last_event_time from metric_windows
                where metric = ? and (?::text is null or group_key = ?) and window_end > ? and window_start < ?
                order by window_end desc, group_key limit ?""", (rs, n) -> {
            Map<String, Double> values = new TreeMap<>();
            JsonNode figures = json.readTree(rs.getString(6));
            figures.properties().forEach(e -> values.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asDouble()));
            return new MetricWindowView(metric.name(), metric.lane().label(), metric.window().kind().name().toLowerCase(),
                    rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getTimestamp(3).toInstant(), rs.getBoolean(4),
                    rs.getLong(5), values, rs.getTimestamp(7).toInstant());
        }, metric.name(), groupKey, groupKey, Timestamp.from(from), Timestamp.from(to), limit);
    }

    /** @throws IllegalArgumentException if the range holds more events than a query may fold */
    public List<MetricWindowView> batch(MetricDefinition metric, String groupKey, Instant from, Instant to) {
        Long events = jdbc.queryForObject("select count(*) from events where event_type = any(?) and event_time >= ? and event_time < ?",
                Long.class, metric.types().toArray(String[]::new), Timestamp.from(from), Timestamp.from(to));
        if (events != null && events > MAX_BATCH_EVENTS) {
            throw new IllegalArgumentException("from/to: the range holds " + events + " events, more than a batch query folds ("
                    + MAX_BATCH_EVENTS + "); narrow it");
        }
        MetricWindows.Batch batch = new MetricWindows.Batch(metric);
        jdbc.query("""
                select event_id, event_type, source, subject, partition_key, event_time, data::text from events
                where event_type = any(?) and event_time >= ? and event_time < ?""", rs -> {
            JsonNode data = json.readTree(rs.getString(7));
            String id = rs.getString(1);
            String type = rs.getString(2);
            String source = rs.getString(3);
            String subject = rs.getString(4);
            String key = rs.getString(5);
            long time = rs.getTimestamp(6).toInstant().toEpochMilli();
            batch.add(time, path -> switch (path) {
                case "id" -> id;
                case "type" -> type;
                case "source" -> source;
                case "subject" -> subject;
                case "key" -> key;
                case "time" -> time;
                default -> value(data, path);
            });
        }, metric.types().toArray(String[]::new), Timestamp.from(from), Timestamp.from(to));
        return batch.windows().stream().filter(w -> groupKey == null || w.groupKey().equals(groupKey)).toList();
    }

    /** A payload field of a stored event ({@code map.entry} for map fields), typed as the stream sees it. */
    private static Object value(JsonNode data, String path) {
        int dot = path.indexOf('.');
        JsonNode node = dot < 0 ? data.get(path) : data.path(path.substring(0, dot)).get(path.substring(dot + 1));
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        return node.isString() ? node.asString() : node.toString();
    }
}
