package io.tideline.process;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

import org.apache.avro.specific.SpecificRecord;

import io.tideline.model.EventEnvelope;
import io.tideline.model.EventFamily;
import io.tideline.model.WindowAggregate;
import io.tideline.model.internal.SeriesStats;

/**
 * Folds events into a window's count/sum/min/max. Sums are exact decimals at 6 places (payments have at most 4),
 * so an aggregate equals the figure recomputed from the stored events, not merely approximates it.
 */
final class SeriesStatsAggregator {

    static final int SCALE = 6;

    private SeriesStatsAggregator() {
    }

    static SeriesStats empty() {
        return SeriesStats.newBuilder().setCount(0).setLastEventTime(Instant.EPOCH).build();
    }

    static SeriesStats add(EventEnvelope event, SeriesStats stats) {
        SpecificRecord payload = (SpecificRecord) event.getPayload();
        BigDecimal measure = EventFamily.of(payload).measure(payload);
        SeriesStats.Builder next = SeriesStats.newBuilder(stats).setCount(stats.getCount() + 1);
        if (event.getTime().isAfter(stats.getLastEventTime())) {
            next.setLastEventTime(event.getTime());
        }
        if (measure != null) {
            BigDecimal value = measure.setScale(SCALE, RoundingMode.HALF_EVEN);
            next.setSum(stats.getSum() == null ? value : stats.getSum().add(value));
            next.setMin(stats.getMin() == null || value.compareTo(stats.getMin()) < 0 ? value : stats.getMin());
            next.setMax(stats.getMax() == null || value.compareTo(stats.getMax()) > 0 ? value : stats.getMax());
        }
        return next.build();
    }

    static WindowAggregate toAggregate(SeriesKey series, long windowStart, long windowEnd, SeriesStats stats) {
        return WindowAggregate.newBuilder()
                .setScope(series.scope())
                .setEventType(series.eventType())
                .setSeriesKey(series.key())
                .setWindowStart(Instant.ofEpochMilli(windowStart))
                .setWindowEnd(Instant.ofEpochMilli(windowEnd))
                .setCount(stats.getCount())
                .setSum(stats.getSum())
                .setMin(stats.getMin())
                .setMax(stats.getMax())
                .setLastEventTime(stats.getLastEventTime())
                .build();
    }
}
