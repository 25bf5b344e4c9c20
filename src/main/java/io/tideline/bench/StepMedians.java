package io.tideline.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

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
            points.put(point, figures(runs, step -> step.points().get(point)));
        }
        Map<String, Object> baseline = figures(runs, BenchRun.Step::baseline);
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
                cpu.put(part, figures(runs, step -> step.cpu().get(part)));
            }
        }
        return new BenchRun.Step(first.offered(), Math.round(achieved), first.durationS(), lost, points, baseline, sustainable,
                cpu);
    }

    private static Map<String, Object> figures(List<BenchRun.Step> runs, Function<BenchRun.Step, Map<String, Object>> point) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String figure : point.apply(runs.get(0)).keySet()) {
            double[] values = runs.stream().map(s -> (Number) point.apply(s).get(figure)).filter(v -> v != null)
                    .mapToDouble(Number::doubleValue).toArray();
            if (values.length == 0) {
                out.put(figure, null);
                continue;
            }
            if (figure.equals("unobserved")) {
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
