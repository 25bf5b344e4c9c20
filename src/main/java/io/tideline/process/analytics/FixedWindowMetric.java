package io.tideline.process.analytics;

import io.tideline.config.TidelineProperties;
import io.tideline.definition.MetricDefinition;
import io.tideline.observe.PipelineMetrics;

/**
 * Tumbling and hopping windows: fixed, aligned to the epoch, {@code [start, start + size)}, one every advance
 * (tumbling: advance = size). An event counts in every window containing it that is still open.
 */
final class FixedWindowMetric extends MetricProcessor {

    private final long size;
    private final long advance;

    FixedWindowMetric(MetricDefinition metric, TidelineProperties.Analytics config, PipelineMetrics metrics) {
        super(metric, config, metrics);
        this.size = metric.window().size().toMillis();
        this.advance = metric.window().advance().toMillis();
    }

    @Override
    protected String add(String groupKey, Sample sample, long frontier) {
        long time = sample.time();
        long lastStart = Math.floorDiv(time, advance) * advance;
        boolean counted = false;
        for (long start = lastStart; start > time - size; start -= advance) {
            long closeAt = start + size + grace;
            if (closeAt <= frontier) {
                continue;
            }
            MetricWindow w = store.window(groupKey, start);
            if (w == null) {
                w = new MetricWindow(groupKey, start, start + size, false, new MetricState(metric.aggregations()));
                store.scheduleClose(w, closeAt);
            }
            w.state.add(sample);
            store.put(w);
            changed(w);
            counted = true;
        }
        return counted ? null : lateReason(time, lastStart + size + grace, frontier);
    }
}
