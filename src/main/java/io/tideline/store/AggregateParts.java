package io.tideline.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.function.BinaryOperator;

import io.tideline.model.AggregateScope;
import io.tideline.model.WindowAggregate;

/**
 * Merges the per-partition partials of an event type (see {@code WindowedSeriesAggregator}) into the type's
 * figure. Count, sum, min and max merge exactly; the mean is derived afterwards like any other's.
 */
public final class AggregateParts {

    private AggregateParts() {
    }

    /** The type's figure for the newest window any part holds: parts still on an older window add nothing to it. */
    public static WindowAggregate merge(Collection<WindowAggregate> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("no parts to merge");
        }
        Instant newest = parts.stream().map(WindowAggregate::getWindowStart).max(Instant::compareTo).orElseThrow();
        List<WindowAggregate> current = parts.stream().filter(p -> p.getWindowStart().equals(newest)).toList();
        WindowAggregate first = current.get(0);
        WindowAggregate merged = WindowAggregate.newBuilder()
                .setScope(AggregateScope.TYPE)
                .setEventType(first.getEventType())
                .setSeriesKey("")
                .setPart(-1)
                .setWindowStart(first.getWindowStart())
                .setWindowEnd(first.getWindowEnd())
                .setCount(0)
                .setLastEventTime(first.getLastEventTime())
                .build();
        for (WindowAggregate p : current) {
            merged.setCount(merged.getCount() + p.getCount());
            merged.setSum(combine(merged.getSum(), p.getSum(), BigDecimal::add));
            merged.setMin(combine(merged.getMin(), p.getMin(), BigDecimal::min));
            merged.setMax(combine(merged.getMax(), p.getMax(), BigDecimal::max));
            if (p.getLastEventTime().isAfter(merged.getLastEventTime())) {
                merged.setLastEventTime(p.getLastEventTime());
            }
        }
        return merged;
    }

    private static BigDecimal combine(BigDecimal a, BigDecimal b, BinaryOperator<BigDecimal> op) {
        return a == null ? b : b == null ? a : op.apply(a, b);
    }
}
