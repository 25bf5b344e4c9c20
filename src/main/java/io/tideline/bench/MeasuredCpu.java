package io.tideline.bench;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** {@link CpuUsage} over a wall-clock window that a load running on the caller's thread defines. */
final class MeasuredCpu {

    private final CompletableFuture<Map<String, Map<String, Object>>> figures = new CompletableFuture<>();
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
        measured.clock.schedule(usage::start, fromMs - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
        measured.clock.schedule(() -> measured.figures.complete(usage.stop(events.getAsLong())),
                untilMs - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
        return measured;
    }

    Map<String, Map<String, Object>> await(Duration timeout) throws Exception {
        try {
            return figures.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            clock.shutdownNow();
        }
    }
}
