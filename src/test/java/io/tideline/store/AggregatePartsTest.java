package io.tideline.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tideline.model.AggregateScope;
import io.tideline.model.WindowAggregate;

class AggregatePartsTest {

    private static final Instant W1 = Instant.parse("2026-11-22T10:00:00Z");
    private static final Instant W2 = W1.plusSeconds(60);

    @Test
    void partsOfTheNewestWindowMergeExactly() {
        WindowAggregate merged = AggregateParts.merge(List.of(
                part(0, W2, 2, "10.000001", "4.5", "5.500001", W2.plusSeconds(3)),
                part(1, W2, 3, "-2.5", "-7", "4", W2.plusSeconds(9)),
                part(2, W1, 50, "1000", "1", "99", W1.plusSeconds(59)))); // still on the older window: not in it

        assertThat(merged.getScope()).isEqualTo(AggregateScope.TYPE);
        assertThat(merged.getPart()).isEqualTo(-1);
        assertThat(merged.getWindowStart()).isEqualTo(W2);
        assertThat(merged.getCount()).isEqualTo(5);
        assertThat(merged.getSum()).isEqualByComparingTo("7.500001");
        assertThat(merged.getMin()).isEqualByComparingTo("-7");
        assertThat(merged.getMax()).isEqualByComparingTo("5.500001");
        assertThat(merged.getLastEventTime()).isEqualTo(W2.plusSeconds(9));
        assertThat(AggregateMean.of(merged)).isEqualByComparingTo("1.500000");
    }

    @Test
    void typesWithoutAMeasureMergeCountsOnly() {
        WindowAggregate merged = AggregateParts.merge(List.of(part(0, W1, 2, null, null, null, W1),
                part(3, W1, 7, null, null, null, W1)));
        assertThat(merged.getCount()).isEqualTo(9);
        assertThat(merged.getSum()).isNull();
        assertThat(merged.getMin()).isNull();
    }

    @Test
    void aPartSurvivesTheRedisHashRoundTrip() {
        WindowAggregate a = part(4, W1, 3, "12.34", "0.01", "12", W1.plusSeconds(7));
        assertThat(ReadModelHash.aggregate(ReadModelHash.fields(a))).isEqualTo(a);
    }

    private static WindowAggregate part(int part, Instant window, long count, String sum, String min, String max, Instant last) {
        return WindowAggregate.newBuilder()
                .setScope(AggregateScope.TYPE).setEventType("payment").setSeriesKey("").setPart(part)
                .setWindowStart(window).setWindowEnd(window.plusSeconds(60)).setCount(count)
                .setSum(decimal(sum)).setMin(decimal(min)).setMax(decimal(max)).setLastEventTime(last).build();
    }

    private static BigDecimal decimal(String s) {
        return s == null ? null : new BigDecimal(s).setScale(6);
    }
}
