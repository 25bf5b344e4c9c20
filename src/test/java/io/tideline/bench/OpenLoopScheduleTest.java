package io.tideline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class OpenLoopScheduleTest {

    @Test
    void everyBatchIsDueOnTheScheduleAndNoneIsSentBeforeItsIntendedTime() {
        long start = System.currentTimeMillis() + 20;
        List<Long> intended = new ArrayList<>();
        List<Long> sentAt = new ArrayList<>();
        long batches = OpenLoopSchedule.run(2_000, start, 300, 0, 1, t -> {
            intended.add(t);
            sentAt.add(System.currentTimeMillis());
        });

        assertThat(batches).isEqualTo(600).isEqualTo(intended.size());
        for (int i = 0; i < intended.size(); i++) {
            assertThat(intended.get(i)).isEqualTo(start + i / 2); // two a millisecond, on the schedule's own clock
            assertThat(sentAt.get(i)).isGreaterThanOrEqualTo(intended.get(i));
        }
    }

    @Test
    void batchesOfSeveralEventsAreSpacedByTheirSizeAndTheRampStartsAtATenth() {
        List<Long> flat = new ArrayList<>();
        List<Long> ramped = new ArrayList<>();
        long start = System.currentTimeMillis();
        OpenLoopSchedule.run(10_000, start, 100, 0, 20, flat::add);
        OpenLoopSchedule.run(10_000, start, 100, 100, 20, ramped::add);

        assertThat(flat).hasSize(50); // 1,000 events in batches of 20, one every 2 ms
        assertThat(flat.get(1) - flat.get(0)).isEqualTo(2);
        assertThat(ramped.size()).isBetween(20, 35); // the mean rate over a full ramp: 55 % of the target
        assertThat(ramped.get(1) - ramped.get(0)).isEqualTo(20); // a tenth of the rate at the start
    }

    @Test
    void theSenderWakesOnTickBoundaries() {
        long tick = OpenLoopSchedule.TICK_NANOS;
        assertThat(OpenLoopSchedule.nextTick(0)).isZero();
        assertThat(OpenLoopSchedule.nextTick(1)).isEqualTo(tick);
        assertThat(OpenLoopSchedule.nextTick(tick)).isEqualTo(tick);
        assertThat(OpenLoopSchedule.nextTick(tick + 1)).isEqualTo(2 * tick);
    }
}
