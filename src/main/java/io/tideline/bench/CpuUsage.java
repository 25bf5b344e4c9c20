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

    /** @param parts each part's processes, looked up at each snapshot (a part may have been restarted) */
    CpuUsage(Map<String, Supplier<List<ProcessHandle>>> parts) {
        this.parts = parts;
    }

    /**
     * Per part between two snapshots {@code seconds} apart: {@code cores} (the average) and {@code us_per_event};
     * plus their {@code total}.
     */
    static Map<String, Map<String, Object>> figures(Map<String, Long> from, Map<String, Long> to, double seconds, long events) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        used(from, to).forEach((part, nanos) -> {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("cores", Math.round(nanos / 1e9 / seconds * 1000) / 1000.0);
            f.put("us_per_event", events == 0 ? null : Math.round(nanos / 1e3 / events * 10) / 10.0);
            out.put(part, f);
        });
        return out;
    }

    /** Cores each part used between two snapshots {@code seconds} apart, and their {@code total}. */
    static Map<String, Object> cores(Map<String, Long> from, Map<String, Long> to, double seconds) {
        Map<String, Object> out = new LinkedHashMap<>();
        used(from, to).forEach((part, nanos) -> out.put(part, Math.round(nanos / 1e9 / seconds * 100) / 100.0));
        return out;
    }

    /** CPU time each part used between two snapshots (ns; a part absent at the first used none), and the total. */
    private static Map<String, Long> used(Map<String, Long> from, Map<String, Long> to) {
        Map<String, Long> out = new LinkedHashMap<>();
        long total = 0;
        for (Map.Entry<String, Long> part : to.entrySet()) {
            long used = Math.max(0, part.getValue() - from.getOrDefault(part.getKey(), part.getValue()));
            total += used;
            out.put(part.getKey(), used);
        }
        out.put("total", total);
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
