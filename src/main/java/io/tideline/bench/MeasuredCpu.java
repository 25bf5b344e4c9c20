package io.tideline.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * {@link CpuUsage} over a wall-clock window that a load running on the caller's thread defines, in all and second by
 * second: a bad second of latency next to the cores every part used in it tells the pipeline's own saturation from a
 * host that gave the box less.
 */
final class MeasuredCpu {

    private final CompletableFuture<Map<String, Map<String, Object>>> figures = new CompletableFuture<>();
    private final List<Map<String, Object>> perSecond = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-cpu");
        t.setDaemon(true);
        return t;
    });

    private MeasuredCpu() {
    }

    /** @param events the events the window carried, read when it ends */
    static MeasuredCpu between(CpuUsage usage, long fromMs, long untilMs, LongSupplier events) {
        MeasuredCpu measured = new MeasuredCpu();
        // Every delay from one reading of the clock: the last second's sample and the stop fall due at the same time
        // and must run in the order scheduled (sample, then stop), which delays from separate readings did not ensure.
        long now = System.currentTimeMillis();
        measured.clock.schedule(usage::start, fromMs - now, TimeUnit.MILLISECONDS);
        AtomicReference<Map<String, Long>> last = new AtomicReference<>();
        AtomicLong lastNanos = new AtomicLong();
        for (long second = 0; second <= (untilMs - fromMs) / 1000; second++) {
            long ended = second - 1;
            measured.clock.schedule(() -> {
                Map<String, Long> used = usage.snapshot();
                long nanos = System.nanoTime();
                if (ended >= 0) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("second", ended);
                    row.putAll(CpuUsage.cores(last.get(), used, (nanos - lastNanos.get()) / 1e9));
                    measured.perSecond.add(row);
                }
                last.set(used);
                lastNanos.set(nanos);
            }, fromMs + second * 1000 - now, TimeUnit.MILLISECONDS);
        }
        measured.clock.schedule(() -> measured.figures.complete(usage.stop(events.getAsLong())),
                untilMs - now, TimeUnit.MILLISECONDS);
        return measured;
    }

    /** Per second of the window (wall clock): {@code second}, the cores of each part and their {@code total}. */
    List<Map<String, Object>> perSecond() {
        return List.copyOf(perSecond);
    }

    Map<String, Map<String, Object>> await(Duration timeout) throws Exception {
        try {
            return figures.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            clock.shutdownNow();
        }
    }
}
