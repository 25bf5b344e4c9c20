package io.tideline.process.analytics;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tideline.definition.Aggregation;

/**
 * The running figures of one metric window: the count, and per aggregation what it needs — sum/min/max over the
 * values seen, the set of distinct value hashes, or the values themselves for exact percentiles (nearest rank;
 * beyond {@link #MAX_VALUES} per window every other value is dropped, which keeps the percentile within the
 * spacing of the kept values).
 */
final class MetricState {

    static final int MAX_VALUES = 10_000;

    private final List<Aggregation> aggregations;
    private long count;
    private long lastEventTime = Long.MIN_VALUE;
    private final long[] n;
    private final double[] sum;
    private final double[] min;
    private final double[] max;
    /** Per distinct slot: sorted hashes; per percentile slot: the values (sorted lazily). */
    private final long[][] hashes;
    private final double[][] values;
    private final int[] sizes;

    MetricState(List<Aggregation> aggregations) {
        this.aggregations = aggregations;
        int k = aggregations.size();
        n = new long[k];
        sum = new double[k];
        min = new double[k];
        max = new double[k];
        hashes = new long[k][];
        values = new double[k][];
        sizes = new int[k];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < k; i++) {
            switch (aggregations.get(i).function()) {
                case DISTINCT -> hashes[i] = new long[4];
                case PERCENTILE -> values[i] = new double[4];
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
                        if (values[i] != null) {
                            addValue(i, v);
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
            for (int j = 0; values[i] != null && j < other.sizes[i]; j++) {
                addValue(i, other.values[i][j]);
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
                case PERCENTILE -> percentile(i, a.percentile());
            };
            out.put(a.name(), v);
        }
        return out;
    }

    private Double percentile(int i, double p) {
        if (sizes[i] == 0) {
            return null;
        }
        Arrays.sort(values[i], 0, sizes[i]);
        int rank = (int) Math.ceil(p / 100.0 * sizes[i]);
        return values[i][Math.max(rank, 1) - 1];
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

    private void addValue(int i, double v) {
        if (sizes[i] == MAX_VALUES) {
            Arrays.sort(values[i], 0, sizes[i]);
            for (int j = 0; j < sizes[i] / 2; j++) {
                values[i][j] = values[i][2 * j + 1];
            }
            sizes[i] /= 2;
        }
        if (sizes[i] == values[i].length) {
            values[i] = Arrays.copyOf(values[i], sizes[i] * 2);
        }
        values[i][sizes[i]++] = v;
    }

    byte[] encode() {
        int bytes = 16;
        for (int i = 0; i < n.length; i++) {
            bytes += 8 * 4 + 4 + 8 * sizes[i];
        }
        ByteBuffer buf = ByteBuffer.allocate(bytes);
        buf.putLong(count).putLong(lastEventTime);
        for (int i = 0; i < n.length; i++) {
            buf.putLong(n[i]).putDouble(sum[i]).putDouble(min[i]).putDouble(max[i]).putInt(sizes[i]);
            for (int j = 0; j < sizes[i]; j++) {
                if (hashes[i] != null) {
                    buf.putLong(hashes[i][j]);
                } else {
                    buf.putDouble(values[i][j]);
                }
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
            } else if (s.values[i] != null) {
                s.values[i] = new double[Math.max(size, 4)];
                for (int j = 0; j < size; j++) {
                    s.values[i][j] = buf.getDouble();
                }
            }
        }
        return s;
    }
}
