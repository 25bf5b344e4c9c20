package io.tideline.serve;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.springframework.jdbc.core.JdbcTemplate;

import io.tideline.config.Guarantee;

/** Reads the durable history in PostgreSQL: windows of a series over a time range, alerts over a time range. */
public class HistoryQueries {

    private final JdbcTemplate jdbc;
    private final Function<String, Guarantee> guarantees;

    public HistoryQueries(JdbcTemplate jdbc, Function<String, Guarantee> guarantees) {
        this.jdbc = jdbc;
        this.guarantees = guarantees;
    }

    /** Windows starting in [from, to), oldest first; key null means the per-type series. */
    public List<AggregateView> aggregates(String eventType, String key, Instant from, Instant to, int limit) {
        return jdbc.query("""
                select * from window_aggregates
                where scope = ? and event_type = ? and series_key = ? and window_start >= ? and window_start < ?
                order by window_start limit ?""", (rs, n) -> AggregateView.fromRow(rs, guarantees.apply(eventType)),
                key == null ? "TYPE" : "KEY", eventType, key == null ? "" : key, Timestamp.from(from), Timestamp.from(to), limit);
    }

    /** Alerts with event time in [from, to), newest first. */
    public List<Map<String, Object>> alerts(Instant from, Instant to, int limit) {
        return jdbc.queryForList("""
                select alert_id as "alertId", rule, severity, event_type as "eventType", series_key as "seriesKey",
                       event_id as "eventId", event_time as "eventTime", observed, baseline_mean as "baselineMean",
                       baseline_stddev as "baselineStddev", score, message
                from alerts where event_time >= ? and event_time < ? order by event_time desc limit ?""",
                Timestamp.from(from), Timestamp.from(to), limit);
    }
}
