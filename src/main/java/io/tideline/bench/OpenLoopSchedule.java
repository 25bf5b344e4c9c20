package io.tideline.bench;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * When an open-loop load sends: a fixed rate, ramping up linearly from a tenth of it over a ramp, whatever the
 * system under test does. Each batch has an <em>intended</em> send time on that schedule, and the sender wakes at
 * most once per {@link #TICK_NANOS} to send every batch that has come due. A batch sent up to a tick late still
 * carries its intended time, so the lateness is part of its measured latency: coordinated omission stays corrected.
 * <p>Why ticks: parking until each event's own time woke the load's thread 5,000 times a second at 5,000 events/s,
 * and those futex waits and context switches were a third of the load thread's CPU (docs/benchmarks.md) on a
 * machine the pipeline shares with the load.
 */
final class OpenLoopSchedule {

    static final long TICK_NANOS = 1_000_000;

    private OpenLoopSchedule() {
    }

    /**
     * Calls {@code send} with the intended time (epoch ms) of each batch of {@code batchSize} events due from
     * {@code startMs} for {@code durationMs}; returns the number of batches.
     */
    static long run(double rate, long startMs, long durationMs, long rampMs, int batchSize, LongConsumer send) {
        long startNanos = System.nanoTime() + (startMs - System.currentTimeMillis()) * 1_000_000;
        long durationNanos = durationMs * 1_000_000;
        long rampNanos = rampMs * 1_000_000;
        long elapsed = 0;
        long batches = 0;
        while (elapsed < durationNanos) {
            if (startNanos + elapsed > System.nanoTime()) {
                long wakeAt = startNanos + nextTick(elapsed);
                long wait;
                while ((wait = wakeAt - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait); // may return early: never send before the batch is due
                }
            }
            send.accept(startMs + elapsed / 1_000_000);
            batches++;
            elapsed += (long) (1e9 * batchSize / rateAt(rate, elapsed, rampNanos));
        }
        return batches;
    }

    /** The first tick boundary (from the start) at or after {@code elapsedNanos}. */
    static long nextTick(long elapsedNanos) {
        return (elapsedNanos + TICK_NANOS - 1) / TICK_NANOS * TICK_NANOS;
    }

    static double rateAt(double rate, long elapsedNanos, long rampNanos) {
        return elapsedNanos < rampNanos ? rate * (0.1 + 0.9 * elapsedNanos / rampNanos) : rate;
    }
}
