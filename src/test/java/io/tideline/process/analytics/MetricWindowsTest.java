package io.tideline.process.analytics;

import static io.tideline.process.analytics.AnalyticsDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tideline.model.EventEnvelope;
import io.tideline.model.MetricResult;

/** Each window kind, lateness, and closing on the wall clock, with the exact values each produces. */
class MetricWindowsTest {

    @TempDir
    Path stateDir;

    private AnalyticsDriver driver;

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
    }

    private void start(String window, String aggregate) {
        start(window, aggregate, "key", "");
    }

    private void start(String window, String aggregate, String groupBy, String extra) {
        driver = new AnalyticsDriver(stateDir, """
                metrics:
                  - name: spend
                    source: payment
                    group-by: %s
                    window: %s
                    aggregate: %s
                %s""".formatted(groupBy, window, aggregate, extra));
    }

    private static Instant at(String hhmmss) {
        return Instant.parse("2026-11-22T" + hhmmss + "Z");
    }

    /** A result as "key [start, end) count values final", for exact comparison of a whole sequence. */
    private static String line(MetricResult r) {
        return r.getGroupKey() + " [" + r.getWindowStart().toString().substring(11, 19) + "," + r.getWindowEnd().toString().substring(11, 19)
                + ") n=" + r.getCount() + " " + new java.util.TreeMap<>(r.getValues()) + (r.getFinal$() ? " final" : "");
    }

    private List<String> lines() {
        return driver.results().stream().map(MetricWindowsTest::line).toList();
    }

    @Test
    void tumblingWindowsSendEveryUpdateAndAFinalValueWhenEventTimePassesEndPlusGrace() {
        start("{type: tumbling, size: 1m, grace: 10s}", "[count, sum(amount), max(amount)]");
        driver.payment("a1", "m1", "10", at("10:00:05"));
        driver.payment("a1", "m1", "20", at("10:00:30"));
        driver.payment("a1", "m1", "5", at("10:01:10"));

        assertThat(lines()).containsExactly(
                "a1 [10:00:00,10:01:00) n=1 {count=1.0, max_amount=10.0, sum_amount=10.0}",
                "a1 [10:00:00,10:01:00) n=2 {count=2.0, max_amount=20.0, sum_amount=30.0}",
                "a1 [10:01:00,10:02:00) n=1 {count=1.0, max_amount=5.0, sum_amount=5.0}",
                "a1 [10:00:00,10:01:00) n=2 {count=2.0, max_amount=20.0, sum_amount=30.0} final");
    }

    @Test
    void outOfOrderEventsWithinTheGraceCountInTheirWindowAndLaterOnesGoToTheLateTopicWithTheReason() {
        start("{type: tumbling, size: 1m, grace: 10s}", "[count]");
        driver.payment("a1", "m1", "1", at("10:01:05"));
        driver.payment("a1", "m1", "1", at("10:00:50")); // 15 s out of order, window [10:00, 10:01) closes at 10:01:10
        driver.payment("a1", "m1", "1", at("10:01:20")); // closes [10:00, 10:01)
        EventEnvelope tooLate = driver.payment("a1", "m1", "1", at("10:00:40"));

        assertThat(lines()).containsExactly(
                "a1 [10:01:00,10:02:00) n=1 {count=1.0}",
                "a1 [10:00:00,10:01:00) n=1 {count=1.0}",
                "a1 [10:01:00,10:02:00) n=2 {count=2.0}",
                "a1 [10:00:00,10:01:00) n=1 {count=1.0} final");
        TestRecord<String, EventEnvelope> late = driver.late.readRecord();
        assertThat(late.value().getId()).isEqualTo(tooLate.getId());
        assertThat(late.key()).isEqualTo("a1");
        assertThat(new String(late.headers().lastHeader(MetricProcessor.LATE_METRIC_HEADER).value(), StandardCharsets.UTF_8)).isEqualTo("spend");
        assertThat(new String(late.headers().lastHeader(MetricProcessor.LATE_REASON_HEADER).value(), StandardCharsets.UTF_8))
                .contains("2026-11-22T10:00:40Z").contains("closed at 2026-11-22T10:01:10Z").contains("reached 2026-11-22T10:01:20Z");
        assertThat(driver.late.isEmpty()).isTrue();
        assertThat(driver.lateCount("spend")).isEqualTo(1);
    }

    @Test
    void hoppingWindowsCountAnEventInEveryWindowThatContainsIt() {
        start("{type: hopping, size: 1m, advance: 30s}", "[count, sum(amount)]");
        driver.payment("a1", "m1", "7", at("10:00:45"));

        assertThat(lines()).containsExactly(
                "a1 [10:00:30,10:01:30) n=1 {count=1.0, sum_amount=7.0}",
                "a1 [10:00:00,10:01:00) n=1 {count=1.0, sum_amount=7.0}");
    }

    @Test
    void slidingWindowsEndAtEachEventAndAnOutOfOrderEventUpdatesTheLaterWindowsThatContainIt() {
        start("{type: sliding, size: 10s, grace: 1m}", "[count, sum(amount)]");
        driver.payment("a1", "m1", "1", at("10:00:00"));
        driver.payment("a1", "m1", "2", at("10:00:05"));
        driver.payment("a1", "m1", "3", at("10:00:12"));
        driver.payment("a1", "m1", "4", at("10:00:08")); // out of order

        assertThat(lines()).containsExactly(
                "a1 [09:59:50,10:00:00) n=1 {count=1.0, sum_amount=1.0}",
                "a1 [09:59:55,10:00:05) n=2 {count=2.0, sum_amount=3.0}",
                "a1 [10:00:02,10:00:12) n=2 {count=2.0, sum_amount=5.0}",
                "a1 [09:59:58,10:00:08) n=3 {count=3.0, sum_amount=7.0}",
                "a1 [10:00:02,10:00:12) n=3 {count=3.0, sum_amount=9.0}");
    }

    @Test
    void sessionWindowsGrowWithinTheGapAndMergeWhenAnEventBridgesTwo() {
        start("{type: session, gap: 30s, grace: 1m}", "[count, sum(amount)]");
        driver.payment("a1", "m1", "1", at("10:00:00"));
        driver.payment("a1", "m1", "2", at("10:00:10"));
        driver.payment("a1", "m1", "4", at("10:00:50")); // 40 s after the last: a new session
        driver.payment("a1", "m1", "8", at("10:00:30")); // within 30 s of both: one session

        List<MetricResult> results = driver.results();
        assertThat(results.stream().map(MetricWindowsTest::line)).containsExactly(
                "a1 [10:00:00,10:00:00) n=1 {count=1.0, sum_amount=1.0}",
                "a1 [10:00:00,10:00:10) n=2 {count=2.0, sum_amount=3.0}",
                "a1 [10:00:50,10:00:50) n=1 {count=1.0, sum_amount=4.0}",
                "a1 [10:00:00,10:00:50) n=4 {count=4.0, sum_amount=15.0}");
        assertThat(results.get(3).getSuperseded()).containsExactly(at("10:00:50"));
    }

    @Test
    void slidingAndSessionWindowsSetAsideEventsLaterThanTheGraceAndCloseWithAFinalValue() {
        driver = new AnalyticsDriver(stateDir, """
                metrics:
                  - {name: recent, source: payment, group-by: key, window: {type: sliding, size: 10s, grace: 5s}, aggregate: [count]}
                  - {name: visits, source: payment, group-by: key, window: {type: session, gap: 30s, grace: 5s}, aggregate: [count]}
                """);
        driver.payment("a1", "m1", "1", at("10:00:00"));
        driver.payment("a1", "m1", "1", at("10:01:00")); // closes the sliding window ending 10:00:00 and the first session
        EventEnvelope late = driver.payment("a1", "m1", "1", at("09:59:58"));

        List<MetricResult> results = driver.results();
        assertThat(results.stream().filter(r -> r.getMetric().equals("recent")).map(MetricWindowsTest::line)).containsExactly(
                "a1 [09:59:50,10:00:00) n=1 {count=1.0}",
                "a1 [10:00:50,10:01:00) n=1 {count=1.0}",
                "a1 [09:59:50,10:00:00) n=1 {count=1.0} final");
        assertThat(results.stream().filter(r -> r.getMetric().equals("visits")).map(MetricWindowsTest::line)).containsExactly(
                "a1 [10:00:00,10:00:00) n=1 {count=1.0}",
                "a1 [10:01:00,10:01:00) n=1 {count=1.0}",
                "a1 [10:00:00,10:00:00) n=1 {count=1.0} final");
        List<TestRecord<String, EventEnvelope>> setAside = driver.late.readRecordsToList();
        assertThat(setAside).extracting(r -> r.value().getId()).containsExactly(late.getId(), late.getId());
        assertThat(setAside).extracting(r -> new String(r.headers().lastHeader(MetricProcessor.LATE_METRIC_HEADER).value(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder("recent", "visits");
    }

    @Test
    void aQuietKeysWindowClosesOnTheWallClockWithoutAnyNewEvent() {
        start("{type: tumbling, size: 1m, grace: 10s}", "[count]");
        driver.payment("a1", "m1", "1", at("10:00:05"));
        driver.advanceWallClock(Duration.ofSeconds(60)); // event time carried to 10:01:05: not yet closed
        assertThat(lines()).containsExactly("a1 [10:00:00,10:01:00) n=1 {count=1.0}");

        driver.advanceWallClock(Duration.ofSeconds(10)); // 10:01:15 >= end + grace
        assertThat(lines()).containsExactly("a1 [10:00:00,10:01:00) n=1 {count=1.0} final");
    }

    @Test
    void anEventFarAheadOfTheClockCountsInItsWindowButClosesNobodyElses() {
        driver = new AnalyticsDriver(stateDir, """
                metrics:
                  - {name: spend, source: payment, group-by: key, window: {type: tumbling, size: 1m, grace: 10s}, aggregate: [count]}
                """, Map.of("tideline.analytics.max-clock-skew", "1m"));
        driver.payment("a1", "m1", "1", at("10:00:05")); // the driver's clock: 10:00:00
        driver.payment("a2", "m1", "1", at("13:00:00")); // a producer three hours ahead
        driver.payment("a1", "m1", "1", at("10:00:30"));

        assertThat(lines()).containsExactly(
                "a1 [10:00:00,10:01:00) n=1 {count=1.0}",
                "a2 [13:00:00,13:01:00) n=1 {count=1.0}",
                "a1 [10:00:00,10:01:00) n=2 {count=2.0}");
        assertThat(driver.late.isEmpty()).isTrue();
    }

    @Test
    void distinctCountsPercentilesAndMeans() {
        start("{type: tumbling, size: 1m}", "[distinct(merchant), p50(amount), p99(amount), mean(amount), min(amount)]");
        driver.payment("a1", "m1", "10", at("10:00:01"));
        driver.payment("a1", "m2", "40", at("10:00:02"));
        driver.payment("a1", "m1", "30", at("10:00:03"));
        driver.payment("a1", "m3", "20", at("10:00:04"));

        Map<String, Double> values = driver.results().get(3).getValues();
        assertThat(values.get("distinct_merchant")).isEqualTo(3.0);
        assertThat(values.get("mean_amount")).isEqualTo(25.0);
        assertThat(values.get("min_amount")).isEqualTo(10.0);
        // percentiles come from a sketch: within 1 % of the nearest-rank value (20 of 10, 20, 30, 40; and 40)
        assertThat(values.get("p50_amount")).isCloseTo(20.0, org.assertj.core.api.Assertions.withinPercentage(1));
        assertThat(values.get("p99_amount")).isCloseTo(40.0, org.assertj.core.api.Assertions.withinPercentage(1));
    }

    @Test
    void aFilterKeepsOnlyMatchingEvents() {
        start("{type: tumbling, size: 1m}", "[count]", "key", "    where: \"amount > 15 and merchant != 'm9'\"\n");
        driver.payment("a1", "m1", "10", at("10:00:01"));
        driver.payment("a1", "m1", "20", at("10:00:02"));
        driver.payment("a1", "m9", "30", at("10:00:03"));

        assertThat(lines()).containsExactly("a1 [10:00:00,10:01:00) n=1 {count=1.0}");
    }

    @Test
    void standardLaneRegroupsByAnyFieldAndSendsChangedWindowsOnABeat() {
        start("{type: tumbling, size: 1m}", "[count, sum(amount)]", "merchant", "");
        driver.payment("a1", "m1", "10", at("10:00:01"));
        driver.payment("a2", "m1", "20", at("10:00:02"));
        driver.payment("a3", "m2", "5", at("10:00:03"));
        assertThat(driver.metrics.isEmpty()).isTrue(); // nothing before the beat

        driver.advanceWallClock(Duration.ofSeconds(1));
        assertThat(lines()).containsExactlyInAnyOrder(
                "m1 [10:00:00,10:01:00) n=2 {count=2.0, sum_amount=30.0}",
                "m2 [10:00:00,10:01:00) n=1 {count=1.0, sum_amount=5.0}");
    }

    @Test
    void withoutGroupByOneGlobalSeries() {
        start("{type: tumbling, size: 1m}", "[count]", "null", "");
        driver.payment("a1", "m1", "10", at("10:00:01"));
        driver.payment("a2", "m2", "20", at("10:00:02"));
        driver.advanceWallClock(Duration.ofSeconds(1));

        assertThat(lines()).containsExactly("* [10:00:00,10:01:00) n=2 {count=2.0}");
    }
}
