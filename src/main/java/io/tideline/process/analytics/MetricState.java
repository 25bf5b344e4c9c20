package io.tideline.process.analytics;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tideline.definition.Aggregation;

/**
 * The running figures of one metric window: the count, and per aggregation what it needs — sum/min/max over the
 * values seen, the set of distinct value hashes, or a {@link QuantileSketch} for percentiles.
 */
final class MetricState {

    private final List<Aggregation> aggregations;
    private long count;
    private long lastEventTime = Long.MIN_VALUE;
    private final long[] n;
    private final double[] sum;
    private final double[] min;
    private final double[] max;
    /** Per distinct slot: sorted hashes (sizes[i] of them); per percentile slot: a sketch. */
    private final long[][] hashes;
    private final QuantileSketch[] sketches;
    private final int[] sizes;

    MetricState(List<Aggregation> aggregations) {
        this.aggregations = aggregations;
        int k = aggregations.size();
        n = new long[k];
        sum = new double[k];
        min = new double[k];
        max = new double[k];
        hashes = new long[k][];
        sketches = new QuantileSketch[k];
        sizes = new int[k];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < k; i++) {
            switch (aggregations.get(i).function()) {
                case DISTINCT -> hashes[i] = new long[4];
                case PERCENTILE -> sketches[i] = new QuantileSketch();
                default -> { }
            }
        }
    }

    long count() {
        return count;
    }

    long lastEventTime() {
        return lastEventTime;
    }

    void add(Sample sample) {
        count++;
        lastEventTime = Math.max(lastEventTime, sample.time());
        for (int i = 0; i < n.length; i++) {
            switch (aggregations.get(i).function()) {
                case COUNT -> { }
                case DISTINCT -> {
                    if (sample.hashes()[i] != 0) {
                        addHash(i, sample.hashes()[i]);
                    }
                }
                default -> {
                    double v = sample.numbers()[i];
                    if (!Double.isNaN(v)) {
                        n[i]++;
                        sum[i] += v;
                        min[i] = Math.min(min[i], v);
                        max[i] = Math.max(max[i], v);
                        if (sketches[i] != null) {
                            sketches[i].add(v);
                        }
                    }
                }
            }
        }
    }

    /** Folds another window's figures into this one (sessions that an event bridges). */
    void merge(MetricState other) {
        count += other.count;
        lastEventTime = Math.max(lastEventTime, other.lastEventTime);
        for (int i = 0; i < n.length; i++) {
            n[i] += other.n[i];
            sum[i] += other.sum[i];
            min[i] = Math.min(min[i], other.min[i]);
            max[i] = Math.max(max[i], other.max[i]);
            for (int j = 0; hashes[i] != null && j < other.sizes[i]; j++) {
                addHash(i, other.hashes[i][j]);
            }
            if (sketches[i] != null) {
                sketches[i].merge(other.sketches[i]);
            }
        }
    }

    /** Each aggregation's figure by name; null where no event had the field. */
    Map<String, Double> values() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < n.length; i++) {
            Aggregation a = aggregations.get(i);
            Double v = switch (a.function()) {
                case COUNT -> (double) count;
                case DISTINCT -> (double) sizes[i];
                case SUM -> n[i] == 0 ? null : sum[i];
                case MIN -> n[i] == 0 ? null : min[i];
                case MAX -> n[i] == 0 ? null : max[i];
                case MEAN -> n[i] == 0 ? null : sum[i] / n[i];
                case PERCENTILE -> sketches[i].percentile(a.percentile());
            };
            out.put(a.name(), v);
        }
        return out;
    }

    private void addHash(int i, long h) {
        int at = Arrays.binarySearch(hashes[i], 0, sizes[i], h);
        if (at >= 0) {
            return;
        }
        int insert = -at - 1;
        if (sizes[i] == hashes[i].length) {
            hashes[i] = Arrays.copyOf(hashes[i], sizes[i] * 2);
        }
        System.arraycopy(hashes[i], insert, hashes[i], insert + 1, sizes[i] - insert);
        hashes[i][insert] = h;
        sizes[i]++;
    }

    byte[] encode() {
        int bytes = 16;
        for (int i = 0; i < n.length; i++) {
            bytes += 8 * 4 + 4 + 8 * sizes[i] + (sketches[i] == null ? 0 : sketches[i].encodedSize());
        }
        ByteBuffer buf = ByteBuffer.allocate(bytes);
        buf.putLong(count).putLong(lastEventTime);
        for (int i = 0; i < n.length; i++) {
            buf.putLong(n[i]).putDouble(sum[i]).putDouble(min[i]).putDouble(max[i]).putInt(sizes[i]);
            for (int j = 0; j < sizes[i]; j++) {
                buf.putLong(hashes[i][j]);
            }
            if (sketches[i] != null) {
                sketches[i].encode(buf);
            }
        }
        return buf.array();
    }

    static MetricState decode(ByteBuffer buf, List<Aggregation> aggregations) {
        MetricState s = new MetricState(aggregations);
        s.count = buf.getLong();
        s.lastEventTime = buf.getLong();
        for (int i = 0; i < s.n.length; i++) {
            s.n[i] = buf.getLong();
            s.sum[i] = buf.getDouble();
            s.min[i] = buf.getDouble();
            s.max[i] = buf.getDouble();
            int size = buf.getInt();
            s.sizes[i] = size;
            if (s.hashes[i] != null) {
                s.hashes[i] = new long[Math.max(size, 4)];
                for (int j = 0; j < size; j++) {
                    s.hashes[i][j] = buf.getLong();
                }
            }
            if (s.sketches[i] != null) {
                s.sketches[i] = QuantileSketch.decode(buf);
            }
        }
        return s;
    }
}
