package io.tideline.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds repeated runs at one rate into the figures quoted: the median of each latency figure over the runs (the
 * machine is shared and noisy, so one run proves little), and for losses and backlogs the worst run, since a
 * median would hide a run that lost an event.
 */
final class StepMedians {

    private StepMedians() {
    }

    static BenchRun.Step of(List<BenchRun.Step> runs, double targetP99Ms) {
        if (runs.size() == 1) {
            return runs.get(0);
        }
        BenchRun.Step first = runs.get(0);
        Map<String, Map<String, Object>> points = new LinkedHashMap<>();
        for (String point : first.points().keySet()) {
            points.put(point, figures(runs.stream().map(step -> step.points().get(point)).toList()));
        }
        Map<String, Object> baseline = figures(runs.stream().map(BenchRun.Step::baseline).toList());
        double achieved = median(runs.stream().mapToDouble(BenchRun.Step::achieved).toArray());
        long lost = runs.stream().mapToLong(BenchRun.Step::lost).max().orElse(0);
        Map<String, Object> readModel = points.get("read_model");
        boolean sustainable = ((Number) readModel.get("p99")).doubleValue() < targetP99Ms
                && achieved >= 0.97 * first.offered()
                && ((Number) readModel.getOrDefault("unobserved", 0L)).longValue() == 0
                && lost == 0;
        Map<String, Map<String, Object>> cpu = null;
        if (runs.stream().allMatch(run -> run.cpu() != null)) {
            cpu = new LinkedHashMap<>();
            for (String part : first.cpu().keySet()) {
                cpu.put(part, figures(runs.stream().map(step -> step.cpu().get(part)).toList()));
            }
        }
        return new BenchRun.Step(first.offered(), Math.round(achieved), first.durationS(), lost, points, baseline, sustainable,
                cpu, fullestHeap(runs), null); // a median of time series is none: each run keeps its own
    }

    /** Memory is quoted from the run whose heap peaked highest: like a loss, the worst run is the one to know. */
    private static Map<String, Object> fullestHeap(List<BenchRun.Step> runs) {
        return runs.stream().map(BenchRun.Step::memory).filter(m -> m != null && m.get("heap_peak_mb") != null)
                .max(java.util.Comparator.comparingDouble(m -> ((Number) m.get("heap_peak_mb")).doubleValue()))
                .orElse(null);
    }

    /** Figure by figure; a figure that is itself a map of figures (CPU per part) is folded the same way. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> figures(List<Map<String, Object>> runs) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String figure : runs.get(0).keySet()) {
            if (runs.get(0).get(figure) instanceof Map) {
                out.put(figure, figures(runs.stream().map(run -> (Map<String, Object>) run.get(figure)).toList()));
                continue;
            }
            double[] values = runs.stream().map(run -> (Number) run.get(figure)).filter(v -> v != null)
                    .mapToDouble(Number::doubleValue).toArray();
            if (values.length == 0) {
                out.put(figure, null);
            } else if (figure.equals("unobserved")) {
                out.put(figure, (long) Arrays.stream(values).max().orElse(0));
            } else if (figure.equals("count")) {
                out.put(figure, (long) median(values));
            } else {
                out.put(figure, Math.round(median(values) * 100) / 100.0);
            }
        }
        return out;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
