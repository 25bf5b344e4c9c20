package io.tideline.process.analytics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import io.tideline.definition.MetricDefinition;
import io.tideline.model.MetricWindowView;

/** What the query side reads of declared metrics: windows from a state store, or folded from the history. */
public final class MetricWindows {

    private MetricWindows() {
    }

    public static String storeName(MetricDefinition metric) {
        return MetricStore.name(metric);
    }

    /** A group key's windows (open, and closed ones still kept) in one instance's store of the metric, oldest first. */
    public static List<MetricWindowView> query(ReadOnlyKeyValueStore<String, byte[]> store, MetricDefinition metric, String groupKey) {
        return MetricStore.windowsOf(store, groupKey, metric.aggregations()).stream().map(w -> view(metric, w)).toList();
    }

    /**
     * The batch lane: the metric's tumbling windows computed from stored events (those of its types, in event-time
     * order or not), filtered by its condition, grouped by its group-by field. Every window is closed: the history
     * is what it is.
     */
    public static final class Batch {
        private final MetricDefinition metric;
        private final long size;
        private final Map<String, MetricWindow> windows = new TreeMap<>();

        public Batch(MetricDefinition metric) {
            this.metric = metric;
            this.size = metric.window().size().toMillis();
        }

        public void add(long time, Function<String, Object> fields) {
            if (metric.where() != null && !metric.where().test(fields)) {
                return;
            }
            Object group = metric.groupBy() == null ? MetricDefinition.GLOBAL : fields.apply(metric.groupBy());
            if (group == null) {
                return;
            }
            long start = Math.floorDiv(time, size) * size;
            MetricWindow w = windows.computeIfAbsent(group + "\0" + SortableTime.format(start),
                    k -> new MetricWindow(group.toString(), start, start + size, true, new MetricState(metric.aggregations())));
            w.state.add(Sample.of(time, fields, metric.aggregations()));
        }

        public List<MetricWindowView> windows() {
            List<MetricWindowView> out = new ArrayList<>();
            windows.values().forEach(w -> out.add(view(metric, w)));
            return out;
        }
    }

    private static MetricWindowView view(MetricDefinition metric, MetricWindow w) {
        return new MetricWindowView(metric.name(), metric.lane().label(), metric.window().kind().name().toLowerCase(),
                w.groupKey, Instant.ofEpochMilli(w.start), Instant.ofEpochMilli(w.end), w.closed, w.state.count(),
                w.state.values(), Instant.ofEpochMilli(w.state.lastEventTime()));
    }
}
