package io.tideline.model;

import java.time.Instant;
import java.util.Map;

/**
 * One window of a declared metric for one group key, as the API shows it — whether it comes from the Redis read
 * model, a state store (interactive query) or the history (batch lane).
 */
public record MetricWindowView(String metric, String lane, String windowKind, String groupKey, Instant windowStart,
                               Instant windowEnd, boolean closed, long count, Map<String, Double> values,
                               Instant lastEventTime) {
}
