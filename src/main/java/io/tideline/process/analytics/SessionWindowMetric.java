package io.tideline.process.analytics;

import java.util.ArrayList;
import java.util.List;

import io.tideline.config.TidelineProperties;
import io.tideline.definition.MetricDefinition;
import io.tideline.observe.PipelineMetrics;

/**
 * Session windows: a key's events less than {@code gap} apart form one session {@code [first, last]}. An event
 * within the gap of one or more open sessions joins them (an out-of-order event can bridge two, which then become
 * one: the result names the sessions it superseded). A session closes when event time passes last + gap + grace.
 */
final class SessionWindowMetric extends MetricProcessor {

    private final long gap;

    SessionWindowMetric(MetricDefinition metric, TidelineProperties.Analytics config, PipelineMetrics metrics) {
        super(metric, config, metrics);
        this.gap = metric.window().gap().toMillis();
    }

    @Override
    protected String add(String groupKey, Sample sample, long frontier) {
        long time = sample.time();
        if (time + gap + grace <= frontier) {
            return lateReason(time, time + gap + grace, frontier);
        }
        long start = time;
        long end = time;
        MetricState state = new MetricState(metric.aggregations());
        state.add(sample);
        List<Long> superseded = new ArrayList<>();
        for (MetricWindow w : store.windowsOf(groupKey)) {
            if (w.closed || w.start - gap > time || w.end + gap < time) {
                continue;
            }
            state.merge(w.state);
            start = Math.min(start, w.start);
            end = Math.max(end, w.end);
            store.cancelClose(w, w.end + gap + grace);
            store.delete(w);
            removed(w);
            superseded.add(w.start);
        }
        MetricWindow session = new MetricWindow(groupKey, start, end, false, state);
        store.put(session);
        store.scheduleClose(session, end + gap + grace);
        superseded.remove(Long.valueOf(start));
        changed(session, superseded);
        return null;
    }
}
