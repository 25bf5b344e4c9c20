package io.tideline.serve;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

import io.tideline.config.Guarantee;
import io.tideline.model.WindowAggregate;
import io.tideline.store.AggregateMean;

/**
 * A window aggregate as the API and the dashboard show it, whichever store it came from, with the guarantee the
 * figure carries (exactly-once or at-least-once, see {@link Guarantee}).
 */
public record AggregateView(String scope, String eventType, String seriesKey, Instant windowStart, Instant windowEnd,
                            long count, BigDecimal sum, BigDecimal min, BigDecimal max, BigDecimal mean,
                            Instant lastEventTime, String guarantee) {

    static AggregateView of(WindowAggregate a, Guarantee guarantee) {
        return new AggregateView(a.getScope().name(), a.getEventType(), a.getSeriesKey(), a.getWindowStart(),
                a.getWindowEnd(), a.getCount(), strip(a.getSum()), strip(a.getMin()), strip(a.getMax()),
                strip(AggregateMean.of(a)), a.getLastEventTime(), guarantee.label());
    }

    static AggregateView fromRow(ResultSet rs, Guarantee guarantee) throws SQLException {
        return new AggregateView(rs.getString("scope"), rs.getString("event_type"), rs.getString("series_key"),
                rs.getTimestamp("window_start").toInstant(), rs.getTimestamp("window_end").toInstant(), rs.getLong("count"),
                strip(rs.getBigDecimal("sum")), strip(rs.getBigDecimal("min")), strip(rs.getBigDecimal("max")),
                strip(rs.getBigDecimal("mean")), rs.getTimestamp("last_event_time").toInstant(), guarantee.label());
    }

    private static BigDecimal strip(BigDecimal d) {
        return d == null ? null : d.stripTrailingZeros();
    }
}
