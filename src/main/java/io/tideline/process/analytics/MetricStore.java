package io.tideline.process.analytics;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import io.tideline.definition.Aggregation;
import io.tideline.definition.MetricDefinition;

/**
 * The state of one declared metric in one task, in one key-value store (so one changelog):
 * <pre>
 * w\0{group key}\0{start}      a window (bounds, closed flag, figures) — also what interactive queries read
 * c\0{close time}\0{window id} windows still open, by when they close (end + grace)
 * x\0{expiry}\0{window id}     closed windows, by when they stop being queryable
 * s\0{group key}               a key's recent events (sliding windows)
 * t                            the task's stream time
 * </pre>
 * Times are {@link SortableTime}s: an index is read by a range scan.
 */
final class MetricStore {

    private static final char SEP = '\0';
    private static final String STREAM_TIME = "t";

    private final KeyValueStore<String, byte[]> store;
    private final List<Aggregation> aggregations;
    private static final long UNKNOWN = Long.MIN_VALUE;
    private long nextClose = UNKNOWN;

    MetricStore(KeyValueStore<String, byte[]> store, List<Aggregation> aggregations) {
        this.store = store;
        this.aggregations = aggregations;
    }

    static String name(MetricDefinition metric) {
        return "metric-" + metric.name();
    }

    MetricWindow window(String groupKey, long start) {
        byte[] bytes = store.get(windowKey(groupKey, start));
        return bytes == null ? null : MetricWindow.decode(groupKey, bytes, aggregations);
    }

    void put(MetricWindow window) {
        store.put(windowKey(window.groupKey, window.start), window.encode());
    }

    void delete(MetricWindow window) {
        store.delete(windowKey(window.groupKey, window.start));
    }

    /** Every stored window of a key, oldest first. */
    List<MetricWindow> windowsOf(String groupKey) {
        return windowsOf(store, groupKey, aggregations);
    }

    /** What interactive queries read: a key's windows, from any (read-only) view of the store. */
    static List<MetricWindow> windowsOf(ReadOnlyKeyValueStore<String, byte[]> store, String groupKey, List<Aggregation> aggregations) {
        List<MetricWindow> out = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.prefixScan("w" + SEP + groupKey + SEP, new StringSerializer())) {
            it.forEachRemaining(kv -> out.add(MetricWindow.decode(groupKey, kv.value, aggregations)));
        }
        return out;
    }

    void scheduleClose(MetricWindow window, long closeTime) {
        store.put(index('c', closeTime, window), new byte[0]);
        nextClose = Math.min(nextClose, closeTime);
    }

    /**
     * The earliest time a window is due to close (or a lower bound of it): the close index is range-scanned only
     * once event time reaches it, not per event.
     */
    long nextClose() {
        if (nextClose == UNKNOWN) {
            nextClose = TimeIndex.first(store, 'c');
        }
        return nextClose;
    }

    void cancelClose(MetricWindow window, long closeTime) {
        store.delete(index('c', closeTime, window));
    }

    void scheduleExpiry(MetricWindow window, long expiry) {
        store.put(index('x', expiry, window), new byte[0]);
    }

    /** Windows due to close at or before {@code time}, taken off the index. */
    List<MetricWindow> takeClosing(long time) {
        return take('c', time);
    }

    /** Closed windows whose queryable time ended at or before {@code time}, taken off the index. */
    List<MetricWindow> takeExpired(long time) {
        return take('x', time);
    }

    private List<MetricWindow> take(char index, long time) {
        List<String> due = new ArrayList<>();
        long next = TimeIndex.scan(store, index, time, due);
        if (index == 'c') {
            nextClose = next;
        }
        List<MetricWindow> windows = new ArrayList<>();
        for (String key : due) {
            store.delete(key);
            int a = key.indexOf(SEP, 2);
            int b = key.lastIndexOf(SEP);
            MetricWindow w = window(key.substring(a + 1, b), SortableTime.parse(key.substring(b + 1)));
            if (w != null) {
                windows.add(w);
            }
        }
        return windows;
    }

    List<Sample> samples(String groupKey) {
        byte[] bytes = store.get("s" + SEP + groupKey);
        List<Sample> samples = new ArrayList<>();
        if (bytes == null) {
            return samples;
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        int k = aggregations.size();
        while (buf.hasRemaining()) {
            long time = buf.getLong();
            double[] numbers = new double[k];
            long[] hashes = new long[k];
            for (int i = 0; i < k; i++) {
                numbers[i] = buf.getDouble();
                hashes[i] = buf.getLong();
            }
            samples.add(new Sample(time, numbers, hashes));
        }
        return samples;
    }

    void putSamples(String groupKey, List<Sample> samples) {
        int k = aggregations.size();
        ByteBuffer buf = ByteBuffer.allocate(samples.size() * (8 + 16 * k));
        for (Sample s : samples) {
            buf.putLong(s.time());
            for (int i = 0; i < k; i++) {
                buf.putDouble(s.numbers()[i]).putLong(s.hashes()[i]);
            }
        }
        if (samples.isEmpty()) {
            store.delete("s" + SEP + groupKey);
        } else {
            store.put("s" + SEP + groupKey, buf.array());
        }
    }

    long streamTime() {
        byte[] bytes = store.get(STREAM_TIME);
        return bytes == null ? Long.MIN_VALUE : ByteBuffer.wrap(bytes).getLong();
    }

    void streamTime(long time) {
        store.put(STREAM_TIME, ByteBuffer.allocate(8).putLong(time).array());
    }

    private static String windowKey(String groupKey, long start) {
        return "w" + SEP + groupKey + SEP + SortableTime.format(start);
    }

    private static String index(char index, long time, MetricWindow w) {
        return TimeIndex.key(index, time, w.groupKey + SEP + SortableTime.format(w.start));
    }
}
