package io.tideline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

    @Test
    void latencyRunsFromTheIntendedTimeAndOnlyEventsInTheWindowCount() {
        LatencyRecorder r = new LatencyRecorder("kafka");
        r.window(1_000, 2_000);
        r.record(999, 1_500_000);    // warm-up: ignored
        r.record(1_000, 1_012_000);  // 12 ms
        r.record(1_999, 2_029_000);  // 30 ms
        r.record(2_000, 2_100_000);  // after the window: ignored
        assertThat(r.count()).isEqualTo(2);
        assertThat((double) r.summary().get("max")).isBetween(29.9, 30.1);
        assertThat((double) r.summary().get("p50")).isBetween(11.9, 12.1);
    }

    @Test
    void aSeriesBecomingVisibleResolvesExactlyTheEventsUpToItsNewestEvent() {
        LatencyRecorder r = new LatencyRecorder("read_model");
        r.window(0, Long.MAX_VALUE - 1);
        r.sent("payment|a", 100);
        r.sent("payment|a", 200);
        r.sent("payment|a", 300);
        r.sent("payment|b", 150);

        r.seriesVisible("payment|a", 200, 250_000);
        assertThat(r.count()).isEqualTo(2);
        assertThat(r.unobserved()).isEqualTo(2); // a@300 and b@150 are still pending

        r.seriesVisible("payment|a", 200, 400_000); // the same state again resolves nothing new
        assertThat(r.count()).isEqualTo(2);

        r.seriesVisible("payment|b", 150, 160_000);
        r.seriesVisible("payment|a", 300, 310_000);
        assertThat(r.unobserved()).isZero();
        assertThat((double) r.summary().get("max")).isBetween(149.9, 150.1); // a@100 seen at 250 ms
    }

    @Test
    void aBacklogLongerThanAMinuteIsMeasuredNotClamped() {
        LatencyRecorder r = new LatencyRecorder("kafka");
        r.window(0, 10_000);
        r.record(1_000, 1_000_000 + 300_000_000L); // five minutes behind
        assertThat((double) r.summary().get("max")).isBetween(299_000.0, 301_000.0);
    }

    @Test
    void eachSecondOfTheWindowHasItsOwnFiguresSoABadSecondShows() {
        LatencyRecorder r = new LatencyRecorder("read_model");
        r.window(10_000, 20_000);
        for (int i = 0; i < 100; i++) {
            r.record(10_000 + i, (10_000 + i + 5) * 1000L);   // second 0: 5 ms each
            r.record(12_000 + i, (12_000 + i + 400) * 1000L); // second 2: 400 ms each
        }
        r.record(19_999, 20_001_000L);                         // second 9: 2 ms

        List<Map<String, Object>> seconds = r.perSecond();
        assertThat(seconds).extracting(m -> m.get("second")).containsExactly(0L, 2L, 9L);
        assertThat(seconds).extracting(m -> m.get("count")).containsExactly(100L, 100L, 1L);
        assertThat((double) seconds.get(0).get("p99")).isBetween(4.9, 5.1);
        assertThat((double) seconds.get(1).get("p99")).isBetween(396.0, 404.0); // two significant digits
        assertThat((double) r.summary().get("p50")).isBetween(4.9, 5.1);         // the whole window: mostly good
    }
}
