package io.tideline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A self-contained HTML chart (inline SVG, no scripts or downloads) of latency percentiles: per observation point
 * and percentile for one rate, or p99 per point over the rates of a search.
 */
final class BenchReport {

    private static final String[] COLOURS = {"#64748b", "#0ea5e9", "#22c55e", "#f59e0b", "#ef4444"};
    private static final String[] PERCENTILES = {"p50", "p95", "p99", "p999"};

    private BenchReport() {
    }

    static void chart(Path file, List<BenchRun.Step> steps) throws IOException {
        StringBuilder svg = new StringBuilder();
        int width = 900;
        int height = 420;
        int left = 70;
        int bottom = 50;
        int plotW = width - left - 20;
        int plotH = height - bottom - 40;
        Map<String, List<Double>> series = new LinkedHashMap<>();
        List<String> labels = new ArrayList<>();
        if (steps.size() == 1) {
            BenchRun.Step s = steps.get(0);
            Map<String, Map<String, Object>> points = new LinkedHashMap<>();
            points.put("baseline", s.baseline());
            points.putAll(s.points());
            for (String p : PERCENTILES) {
                labels.add(p);
            }
            points.forEach((name, figures) -> {
                List<Double> values = new ArrayList<>();
                for (String p : PERCENTILES) {
                    values.add(((Number) figures.get(p)).doubleValue());
                }
                series.put(name, values);
            });
        } else {
            for (BenchRun.Step s : steps) {
                labels.add(String.format("%.0f/s", s.offered()));
                series.computeIfAbsent("baseline", k -> new ArrayList<>()).add(((Number) s.baseline().get("p99")).doubleValue());
                s.points().forEach((name, figures) -> series.computeIfAbsent(name, k -> new ArrayList<>())
                        .add(((Number) figures.get("p99")).doubleValue()));
            }
        }
        double max = series.values().stream().flatMap(List::stream).mapToDouble(Double::doubleValue).max().orElse(1);
        double top = Math.max(1, Math.pow(10, Math.ceil(Math.log10(max))));
        svg.append(String.format("<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif' font-size='12'>", width, height));
        for (int i = 0; i <= 4; i++) { // log-scale grid: top/10^4 … top
            double v = top / Math.pow(10, 4 - i);
            double y = 20 + plotH - plotH * i / 4.0;
            svg.append(String.format("<line x1='%d' x2='%d' y1='%.1f' y2='%.1f' stroke='#e2e8f0'/>", left, left + plotW, y, y));
            svg.append(String.format("<text x='%d' y='%.1f' text-anchor='end'>%s ms</text>", left - 6, y + 4, trim(v)));
        }
        int groups = labels.size();
        int bars = series.size();
        double groupW = plotW / (double) groups;
        int s = 0;
        for (Map.Entry<String, List<Double>> e : series.entrySet()) {
            for (int g = 0; g < groups; g++) {
                double v = Math.max(top / 1e4, e.getValue().get(g));
                double h = plotH * (Math.log10(v / (top / 1e4)) / 4.0);
                double x = left + g * groupW + 8 + s * (groupW - 16) / bars;
                svg.append(String.format("<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='%s'><title>%s %s: %s ms</title></rect>",
                        x, 20 + plotH - h, (groupW - 16) / bars - 2, h, COLOURS[s % COLOURS.length], e.getKey(), labels.get(g), trim(e.getValue().get(g))));
            }
            svg.append(String.format("<rect x='%d' y='%d' width='10' height='10' fill='%s'/><text x='%d' y='%d'>%s</text>",
                    left + s * 130, height - 14, COLOURS[s % COLOURS.length], left + s * 130 + 14, height - 5, e.getKey()));
            s++;
        }
        for (int g = 0; g < groups; g++) {
            svg.append(String.format("<text x='%.1f' y='%d' text-anchor='middle'>%s</text>", left + g * groupW + groupW / 2, 20 + plotH + 16, labels.get(g)));
        }
        svg.append("</svg>");
        String title = steps.size() == 1 ? String.format("Latency percentiles at %.0f events/s (log scale)", steps.get(0).offered())
                : "p99 latency by offered rate (log scale)";
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, "<!doctype html><meta charset='utf-8'><title>Tideline bench</title><h2 style='font-family:sans-serif'>"
                + title + "</h2>" + svg + "\n");
    }

    private static String trim(double v) {
        return v >= 10 ? String.format("%.0f", v) : String.format("%.2f", v);
    }
}
