package io.tideline.process.analytics;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.tideline.config.TidelineProperties;
import io.tideline.definition.MetricDefinition;
import io.tideline.observe.PipelineMetrics;

/**
 * Sliding windows: each event ends a window {@code [time - size, time]} (both ends included) over its key's events,
 * so the figure is always "the last size up to this event". An out-of-order event also changes the windows of the
 * later events within size after it that are still open. A key's events are kept for size + grace, at most
 * {@code tideline.analytics.max-sliding-events} of them (beyond that the oldest go, counted).
 */
final class SlidingWindowMetric extends MetricProcessor {

    private final long size;
    private final int maxEvents;
    private final Counter overflow;

    SlidingWindowMetric(MetricDefinition metric, TidelineProperties.Analytics config, PipelineMetrics metrics) {
        super(metric, config, metrics);
        this.size = metric.window().size().toMillis();
        this.maxEvents = config.maxSlidingEvents();
        this.overflow = metrics.stageCounter("metric-" + metric.name(), "sliding_overflow");
    }

    @Override
    protected String add(String groupKey, Sample sample, long frontier) {
        long time = sample.time();
        if (time + grace <= frontier) {
            return lateReason(time, time + grace, frontier);
        }
        List<Sample> samples = store.samples(groupKey);
        int at = samples.size();
        while (at > 0 && samples.get(at - 1).time() > time) {
            at--;
        }
        samples.add(at, sample);
        // Only windows still open need their events: those ending after frontier - grace.
        long keepFrom = frontier == Long.MIN_VALUE ? Long.MIN_VALUE : frontier - grace - size;
        samples.removeIf(s -> s.time() < keepFrom);
        while (samples.size() > maxEvents) {
            samples.remove(0);
            overflow.increment();
        }
        store.putSamples(groupKey, samples);
        List<Long> ends = new ArrayList<>();
        for (Sample s : samples) {
            if (s.time() >= time && s.time() <= time + size && s.time() + grace > frontier && !ends.contains(s.time())) {
                ends.add(s.time());
            }
        }
        for (long end : ends) {
            MetricState state = new MetricState(metric.aggregations());
            for (Sample s : samples) {
                if (s.time() >= end - size && s.time() <= end) {
                    state.add(s);
                }
            }
            boolean known = store.window(groupKey, end - size) != null;
            MetricWindow w = new MetricWindow(groupKey, end - size, end, false, state);
            if (!known) {
                store.scheduleClose(w, end + grace);
            }
            store.put(w);
            changed(w);
        }
        return null;
    }
}
