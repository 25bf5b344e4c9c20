package io.tideline.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * CPU time each part of a deployment spent over the measurement window, read from the operating system (a
 * process and its descendants: PostgreSQL's backends, say). The per-event figure is the budget that matters on a
 * shared box: at 15,000 events/s on two cores, everything together — broker, stores, pipeline, load — may spend
 * about 130 µs of CPU per event.
 */
final class CpuUsage {

    private final Map<String, Supplier<List<ProcessHandle>>> parts;
    private Map<String, Long> startNanos;
    private long startWall;

    /** @param parts each part's processes, looked up at each snapshot (a part may have been restarted) */
    CpuUsage(Map<String, Supplier<List<ProcessHandle>>> parts) {
        this.parts = parts;
    }

    void start() {
        startNanos = snapshot();
        startWall = System.nanoTime();
    }

    /** Per part: {@code cores} (average over the window) and {@code us_per_event}; plus their {@code total}. */
    Map<String, Map<String, Object>> stop(long events) {
        Map<String, Long> end = snapshot();
        double seconds = (System.nanoTime() - startWall) / 1e9;
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        long total = 0;
        for (Map.Entry<String, Long> part : end.entrySet()) {
            long used = Math.max(0, part.getValue() - startNanos.getOrDefault(part.getKey(), part.getValue()));
            total += used;
            out.put(part.getKey(), figures(used, seconds, events));
        }
        out.put("total", figures(total, seconds, events));
        return out;
    }

    private static Map<String, Object> figures(long cpuNanos, double seconds, long events) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("cores", Math.round(cpuNanos / 1e9 / seconds * 1000) / 1000.0);
        f.put("us_per_event", events == 0 ? null : Math.round(cpuNanos / 1e3 / events * 10) / 10.0);
        return f;
    }

    /** Cores each part used between two snapshots {@code seconds} apart, and their {@code total}. */
    static Map<String, Object> cores(Map<String, Long> from, Map<String, Long> to, double seconds) {
        Map<String, Object> out = new LinkedHashMap<>();
        long total = 0;
        for (Map.Entry<String, Long> part : to.entrySet()) {
            long used = Math.max(0, part.getValue() - from.getOrDefault(part.getKey(), part.getValue()));
            total += used;
            out.put(part.getKey(), Math.round(used / 1e9 / seconds * 100) / 100.0);
        }
        out.put("total", Math.round(total / 1e9 / seconds * 100) / 100.0);
        return out;
    }

    /** CPU time so far per part (ns). */
    Map<String, Long> snapshot() {
        Map<String, Long> nanos = new LinkedHashMap<>();
        parts.forEach((name, processes) -> nanos.put(name, processes.get().stream()
                .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum()));
        return nanos;
    }
}
