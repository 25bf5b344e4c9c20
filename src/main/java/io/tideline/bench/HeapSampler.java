package io.tideline.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tideline's heap over a measurement window: heap in use every second, summarised as the
 * lowest value of each minute — the troughs after collections, which follow the live set — with the peak, the
 * limit and the time spent in GC pauses. A process
 * steady under its heap shows flat troughs; one that leaks, or buffers a backlog in memory, shows them climbing.
 * <p>Troughs also hold old garbage that G1 has not reclaimed yet, so the sampler also measures the live set itself:
 * heap in use right after a full collection it asks for ({@code jcmd GC.run}) a few seconds before the window (in
 * the warm-up) and once the run has drained — the pauses stay outside the measured latencies.
 * <p>The samples come from the JVM's performance counters ({@link PerfCounters}), which cost the process nothing;
 * the few figures read once per window (the limit, the pauses, the live set) from its actuator.
 */
final class HeapSampler {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final long MINUTE_MS = 60_000;
    /** How long before the window the first live set is taken: its full collection's pause ends in the warm-up. */
    private static final long LIVE_SET_LEAD_MS = 5_000;

    private final String baseUrl;
    private final Supplier<List<ProcessHandle>> process;
    private volatile Double liveBeforeMb;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<long[]> samples = new ArrayList<>(); // {time ms, heap used bytes}
    private final CompletableFuture<Map<String, Object>> figures = new CompletableFuture<>();
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-heap");
        t.setDaemon(true);
        return t;
    });
    private double pauseSecondsAtStart = Double.NaN;
    private double pauseCountAtStart = Double.NaN;
    private long startMs;
    /** Tideline's counters, found at the first sample (again if it restarted); null where its JVM publishes none. */
    private PerfCounters counters;
    private long countersPid;

    private HeapSampler(String baseUrl, Supplier<List<ProcessHandle>> process) {
        this.baseUrl = baseUrl;
        this.process = process;
    }

    /** @param process Tideline's process, looked up when needed (it may have been restarted) */
    static HeapSampler between(String baseUrl, Supplier<List<ProcessHandle>> process, long fromMs, long untilMs) {
        HeapSampler sampler = new HeapSampler(baseUrl, process);
        sampler.clock.schedule(() -> sampler.liveBeforeMb = sampler.liveSetMb(),
                fromMs - LIVE_SET_LEAD_MS - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
        sampler.clock.schedule(sampler::start, fromMs - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
        sampler.clock.scheduleAtFixedRate(sampler::sample, fromMs - System.currentTimeMillis(), 1000, TimeUnit.MILLISECONDS);
        sampler.clock.schedule(sampler::finish, untilMs - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
        return sampler;
    }

    /** Figures in MB and ms; empty if the actuator could not be read (the figures are then unknown, not zero). */
    Map<String, Object> await(Duration timeout) throws Exception {
        try {
            return figures.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            clock.shutdownNow();
        }
    }

    private void start() {
        startMs = System.currentTimeMillis();
        double[] pauses = gcPauses();
        pauseCountAtStart = pauses[0];
        pauseSecondsAtStart = pauses[1];
    }

    private void sample() {
        if (counters == null || ProcessHandle.of(countersPid).filter(ProcessHandle::isAlive).isEmpty()) {
            // Looked up only when not known or gone (Tideline restarted): finding the part's processes walks /proc.
            counters = null;
            for (ProcessHandle p : process.get()) {
                counters = PerfCounters.of(p.pid()).orElse(null);
                if (counters != null) {
                    countersPid = p.pid();
                    break;
                }
            }
        }
        Optional<Long> used = counters == null ? Optional.empty() : counters.heapUsed();
        if (used.isPresent()) {
            samples.add(new long[] {System.currentTimeMillis(), used.get()});
        } else {
            double fromActuator = metric("jvm.memory.used?tag=area:heap", "VALUE");
            if (!Double.isNaN(fromActuator)) {
                samples.add(new long[] {System.currentTimeMillis(), (long) fromActuator});
            }
        }
    }

    private void finish() {
        try {
            figures.complete(summary(System.currentTimeMillis()));
        } catch (RuntimeException e) {
            figures.complete(Map.of("error", e.toString()));
        }
    }

    private Map<String, Object> summary(long endMs) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (samples.isEmpty()) {
            return out;
        }
        List<Long> troughs = new ArrayList<>();
        long peak = 0;
        // Whole minutes only: a last sample landing on the window's end would otherwise make a "minute" of one value.
        long minutes = Math.max(1, (endMs - startMs) / MINUTE_MS);
        for (long[] s : samples) {
            int minute = (int) Math.min(minutes - 1, (s[0] - startMs) / MINUTE_MS);
            while (troughs.size() <= minute) {
                troughs.add(Long.MAX_VALUE);
            }
            troughs.set(minute, Math.min(troughs.get(minute), s[1]));
            peak = Math.max(peak, s[1]);
        }
        out.put("heap_limit_mb", mb(metric("jvm.memory.max?tag=area:heap", "VALUE")));
        out.put("heap_peak_mb", mb(peak));
        out.put("heap_trough_mb_per_minute", troughs.stream().filter(t -> t != Long.MAX_VALUE).map(HeapSampler::mb).toList());
        out.put("live_before_mb", liveBeforeMb);
        double[] pauses = gcPauses();
        double seconds = (endMs - startMs) / 1000.0;
        out.put("gc_pauses", Math.round(pauses[0] - pauseCountAtStart));
        out.put("gc_pause_ms", Math.round((pauses[1] - pauseSecondsAtStart) * 1000));
        out.put("gc_pause_share", Math.round((pauses[1] - pauseSecondsAtStart) / seconds * 10_000) / 10_000.0);
        return out;
    }

    /**
     * Heap in use right after a full collection: the live set. For after the run (once it drained), and for the
     * sampler's own reading before the window.
     */
    Double liveSetMb() {
        try {
            for (ProcessHandle p : process.get()) {
                Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        Long.toString(p.pid()), "GC.run").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!jcmd.waitFor(30, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
                    return null;
                }
            }
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        double used = metric("jvm.memory.used?tag=area:heap", "VALUE");
        return Double.isNaN(used) ? null : mb(used);
    }

    /** {count, total seconds} of GC pauses so far. */
    private double[] gcPauses() {
        return new double[] {metric("jvm.gc.pause", "COUNT"), metric("jvm.gc.pause", "TOTAL_TIME")};
    }

    private double metric(String path, String statistic) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/metrics/" + path))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Double.NaN;
            }
            for (JsonNode m : JSON.readTree(response.body()).path("measurements")) {
                if (m.path("statistic").asString().equals(statistic)) {
                    return m.path("value").asDouble();
                }
            }
            return Double.NaN;
        } catch (java.io.IOException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    private static double mb(double bytes) {
        return Math.round(bytes / (1024 * 1024) * 10) / 10.0;
    }
}
