package io.tideline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class MeasuredCpuTest {

    @Test
    void coresArePerPartAndInTotalOverTheInterval() {
        Map<String, Object> cores = CpuUsage.cores(Map.of("kafka", 0L, "tideline", 1_000_000_000L),
                Map.of("kafka", 500_000_000L, "tideline", 5_000_000_000L), 2.0);
        assertThat(cores).containsEntry("kafka", 0.25).containsEntry("tideline", 2.0).containsEntry("total", 2.25);
    }

    @Test
    void theWindowIsAlsoReportedSecondBySecond() throws Exception {
        CpuUsage usage = new CpuUsage(Map.of("bench", () -> List.of(ProcessHandle.current())));
        long from = System.currentTimeMillis() + 100;
        MeasuredCpu measured = MeasuredCpu.between(usage, from, from + 3_000, () -> 3_000);

        Map<String, Map<String, Object>> total = measured.await(Duration.ofSeconds(30));

        assertThat(total).containsKeys("bench", "total");
        List<Map<String, Object>> seconds = measured.perSecond();
        assertThat(seconds).extracting(row -> row.get("second")).containsExactly(0L, 1L, 2L);
        assertThat(seconds).allSatisfy(row -> assertThat(row).containsKeys("bench", "total"));
        assertThat(seconds).allSatisfy(row -> assertThat(((Number) row.get("total")).doubleValue()).isGreaterThanOrEqualTo(0));
    }
}
