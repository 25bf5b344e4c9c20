package io.tideline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class StepMediansTest {

    private static BenchRun.Step run(double achieved, long lost, double readModelP99, long unobserved, double baselineP99) {
        return new BenchRun.Step(1000, achieved, 60, lost,
                Map.of("read_model", Map.of("p50", readModelP99 / 2, "p99", readModelP99, "count", 100L, "unobserved", unobserved)),
                Map.of("p99", baselineP99, "count", 60_000L), true,
                Map.of("tideline", Map.of("cores", achieved / 1000, "us_per_event", readModelP99)),
                Map.of("heap_peak_mb", readModelP99 * 10, "heap_trough_mb_per_minute", List.of(readModelP99)),
                Map.of("read_model", List.of(Map.of("second", 0L, "p99", readModelP99))));
    }

    @Test
    void latencyFiguresAreMediansButLossesAndBacklogsAreTheWorstRun() {
        BenchRun.Step median = StepMedians.of(List.of(
                run(990, 0, 80, 0, 9), run(1000, 3, 20, 0, 30), run(995, 0, 30, 7, 11)), 50);

        assertThat(median.points().get("read_model").get("p99")).isEqualTo(30.0);
        assertThat(median.points().get("read_model").get("p50")).isEqualTo(15.0);
        assertThat(median.baseline().get("p99")).isEqualTo(11.0);
        assertThat(median.achieved()).isEqualTo(995);
        assertThat(median.lost()).isEqualTo(3);
        assertThat(median.points().get("read_model").get("unobserved")).isEqualTo(7L);
        assertThat(median.sustainable()).as("a run lost events").isFalse();
        assertThat(median.cpu().get("tideline").get("us_per_event")).isEqualTo(30.0);
        assertThat(median.cpu().get("tideline").get("cores")).isEqualTo(1.0);
        assertThat(median.perSecond()).as("each run keeps its own time series").isNull();
        assertThat(median.memory()).as("the run whose heap peaked highest").containsEntry("heap_peak_mb", 800.0)
                .containsEntry("heap_trough_mb_per_minute", List.of(80.0));
    }

    @Test
    void runsWithinTheTargetAndWithoutLossAreSustainable() {
        BenchRun.Step median = StepMedians.of(List.of(run(1000, 0, 80, 0, 9), run(1000, 0, 20, 0, 9), run(999, 0, 30, 0, 9)), 50);
        assertThat(median.sustainable()).isTrue();
        assertThat(StepMedians.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    }
}
