package io.tideline.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.IntCountsHistogram;

/**
 * One observation point's latencies. Latency runs from an event's <em>intended</em> send time (the schedule of
 * the open-loop load, carried as the event's time) to when the point observed it, so a stalled system cannot hide
 * its stall: coordinated omission is corrected by construction. Events sent before the warm-up ended are not
 * recorded.
 */
final class LatencyRecorder {

    private static final long HIGHEST_MICROS = 3_600_000_000L;

    private final String name;
    /** µs, up to an hour: over capacity a 10-minute run's backlog outgrows a minute, and a clamped tail reads as one. */
    private final Histogram histogram = new Histogram(HIGHEST_MICROS, 3);
    /**
     * The same latencies by second of intended time: whether a tail is a few bad seconds (the shared box, a GC) or
     * every commit's. Two significant digits (about 12 KB a second) are plenty for that; guarded by histogram's lock.
     */
    private final TreeMap<Long, AbstractHistogram> perSecond = new TreeMap<>();
    private final Map<String, Queue<Long>> pending = new ConcurrentHashMap<>();
    private volatile long recordFromMs = Long.MAX_VALUE;
    private volatile long recordUntilMs = Long.MAX_VALUE;

    LatencyRecorder(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    /** Only events with intended times in [from, until) count. */
    void window(long fromMs, long untilMs) {
        recordFromMs = fromMs;
        recordUntilMs = untilMs;
    }

    /** An event of a series was sent; {@link #seriesVisible} will resolve it. */
    void sent(String series, long intendedMs) {
        pending.computeIfAbsent(series, k -> new ConcurrentLinkedQueue<>()).add(intendedMs);
    }

    /** The series now reflects every event up to {@code newestEventMs}: each of those is observed now. */
    void seriesVisible(String series, long newestEventMs, long observedMicros) {
        Queue<Long> queue = pending.get(series);
        if (queue == null) {
            return;
        }
        Long head;
        while ((head = queue.peek()) != null && head <= newestEventMs) {
            queue.poll();
            record(head, observedMicros);
        }
    }

    /** One event observed at {@code observedMicros} (epoch µs). */
    void record(long intendedMs, long observedMicros) {
        if (intendedMs < recordFromMs || intendedMs >= recordUntilMs) {
            return;
        }
        long latency = Math.min(Math.max(0, observedMicros - intendedMs * 1000), HIGHEST_MICROS);
        long second = (intendedMs - recordFromMs) / 1000;
        synchronized (histogram) {
            histogram.recordValue(latency);
            perSecond.computeIfAbsent(second, s -> new IntCountsHistogram(HIGHEST_MICROS, 2)).recordValue(latency);
        }
    }

    /** Events sent in the window that this point never observed (still pending). */
    long unobserved() {
        long n = 0;
        for (Queue<Long> q : pending.values()) {
            for (Long t : q) {
                if (t >= recordFromMs && t < recordUntilMs) {
                    n++;
                }
            }
        }
        return n;
    }

    Map<String, Object> summary() {
        synchronized (histogram) {
            return Map.of(
                    "count", histogram.getTotalCount(),
                    "p50", ms(histogram.getValueAtPercentile(50)),
                    "p95", ms(histogram.getValueAtPercentile(95)),
                    "p99", ms(histogram.getValueAtPercentile(99)),
                    "p999", ms(histogram.getValueAtPercentile(99.9)),
                    "max", ms(histogram.getMaxValue()));
        }
    }

    /** Per second of the window with any event in it: {@code second} (from the window's start), count, p50, p99, max. */
    List<Map<String, Object>> perSecond() {
        synchronized (histogram) {
            List<Map<String, Object>> out = new ArrayList<>(perSecond.size());
            perSecond.forEach((second, h) -> out.add(Map.of(
                    "second", second,
                    "count", h.getTotalCount(),
                    "p50", ms(h.getValueAtPercentile(50)),
                    "p99", ms(h.getValueAtPercentile(99)),
                    "max", ms(h.getMaxValue()))));
            return out;
        }
    }

    long count() {
        synchronized (histogram) {
            return histogram.getTotalCount();
        }
    }

    double p99() {
        synchronized (histogram) {
            return ms(histogram.getValueAtPercentile(99));
        }
    }

    void reset() {
        synchronized (histogram) {
            histogram.reset();
            perSecond.clear();
        }
        pending.clear();
    }

    static long nowMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    private static double ms(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }
}
