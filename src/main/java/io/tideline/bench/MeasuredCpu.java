package io.tideline.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
        // One sampler, every second from the window's start to its end: the first and the last samples give the
        // window's figures, each pair of neighbours a second's.
        AtomicReference<Sample> first = new AtomicReference<>();
        AtomicReference<Sample> last = new AtomicReference<>();
        List<Long> times = new ArrayList<>();
        for (long at = fromMs; at < untilMs; at += 1000) {
            times.add(at);
        }
        times.add(untilMs);
        long now = System.currentTimeMillis();
        for (int i = 0; i < times.size(); i++) {
            long ended = i - 1;
            boolean end = i == times.size() - 1;
            measured.clock.schedule(() -> {
                Sample sample = new Sample(usage.snapshot(), System.nanoTime());
                first.compareAndSet(null, sample);
                if (ended >= 0) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("second", ended);
                    row.putAll(CpuUsage.cores(last.get().cpu(), sample.cpu(), sample.secondsSince(last.get())));
                    measured.perSecond.add(row);
                }
                last.set(sample);
                if (end) {
                    measured.figures.complete(CpuUsage.figures(first.get().cpu(), sample.cpu(),
                            sample.secondsSince(first.get()), events.getAsLong()));
                }
            }, times.get(i) - now, TimeUnit.MILLISECONDS);
        }
        return measured;
    }

    private record Sample(Map<String, Long> cpu, long nanos) {
        double secondsSince(Sample earlier) {
            return (nanos - earlier.nanos) / 1e9;
        }
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
