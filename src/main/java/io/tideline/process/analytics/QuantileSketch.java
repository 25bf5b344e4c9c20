package io.tideline.process.analytics;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Percentiles of a window's values within 1 % relative error, in a size that grows with the values' dynamic range,
 * not their number (the DDSketch idea: logarithmic buckets). A window of ten thousand amounts takes a few hundred
 * buckets; keeping the values themselves made every event re-write a window of tens of kilobytes to the store and
 * its changelog (profiled: the largest cost of the demo definition). Mergeable, so sessions combine exactly; signed
 * values and zero are kept apart.
 */
final class QuantileSketch {

    /** Relative accuracy: a reported percentile is within 1 % of a value at that rank. */
    static final double ACCURACY = 0.01;
    private static final double GAMMA = (1 + ACCURACY) / (1 - ACCURACY);
    private static final double LOG_GAMMA = Math.log(GAMMA);
    /** Magnitudes below this count as zero. */
    private static final double MIN_MAGNITUDE = 1e-9;

    private final Buckets positive = new Buckets();
    private final Buckets negative = new Buckets();
    private long zeros;

    void add(double v) {
        if (Math.abs(v) < MIN_MAGNITUDE) {
            zeros++;
        } else if (v > 0) {
            positive.add(index(v), 1);
        } else {
            negative.add(index(-v), 1);
        }
    }

    void merge(QuantileSketch other) {
        zeros += other.zeros;
        positive.merge(other.positive);
        negative.merge(other.negative);
    }

    long count() {
        return zeros + positive.total() + negative.total();
    }

    /** The nearest-rank percentile {@code p} (0–100], or null for no values. */
    Double percentile(double p) {
        long n = count();
        if (n == 0) {
            return null;
        }
        long rank = Math.max(1, (long) Math.ceil(p / 100.0 * n));
        long seen = 0;
        for (int i = negative.size - 1; i >= 0; i--) { // most negative first
            seen += negative.counts[i];
            if (seen >= rank) {
                return -value(negative.indexes[i]);
            }
        }
        seen += zeros;
        if (seen >= rank) {
            return 0.0;
        }
        for (int i = 0; i < positive.size; i++) {
            seen += positive.counts[i];
            if (seen >= rank) {
                return value(positive.indexes[i]);
            }
        }
        return value(positive.indexes[positive.size - 1]);
    }

    int encodedSize() {
        return 8 + positive.encodedSize() + negative.encodedSize();
    }

    void encode(ByteBuffer buf) {
        buf.putLong(zeros);
        positive.encode(buf);
        negative.encode(buf);
    }

    static QuantileSketch decode(ByteBuffer buf) {
        QuantileSketch s = new QuantileSketch();
        s.zeros = buf.getLong();
        s.positive.decode(buf);
        s.negative.decode(buf);
        return s;
    }

    private static int index(double magnitude) {
        return (int) Math.ceil(Math.log(magnitude) / LOG_GAMMA);
    }

    /** The bucket's representative: within ACCURACY of every magnitude in (gamma^(i-1), gamma^i]. */
    private static double value(int index) {
        return 2 * Math.pow(GAMMA, index) / (GAMMA + 1);
    }

    /** Sorted bucket indexes with their counts. */
    private static final class Buckets {
        int[] indexes = new int[8];
        long[] counts = new long[8];
        int size;

        void add(int index, long count) {
            int at = Arrays.binarySearch(indexes, 0, size, index);
            if (at >= 0) {
                counts[at] += count;
                return;
            }
            int insert = -at - 1;
            if (size == indexes.length) {
                indexes = Arrays.copyOf(indexes, size * 2);
                counts = Arrays.copyOf(counts, size * 2);
            }
            System.arraycopy(indexes, insert, indexes, insert + 1, size - insert);
            System.arraycopy(counts, insert, counts, insert + 1, size - insert);
            indexes[insert] = index;
            counts[insert] = count;
            size++;
        }

        void merge(Buckets other) {
            for (int i = 0; i < other.size; i++) {
                add(other.indexes[i], other.counts[i]);
            }
        }

        long total() {
            long t = 0;
            for (int i = 0; i < size; i++) {
                t += counts[i];
            }
            return t;
        }

        int encodedSize() {
            return 4 + size * 12;
        }

        void encode(ByteBuffer buf) {
            buf.putInt(size);
            for (int i = 0; i < size; i++) {
                buf.putInt(indexes[i]).putLong(counts[i]);
            }
        }

        void decode(ByteBuffer buf) {
            size = buf.getInt();
            indexes = new int[Math.max(size, 8)];
            counts = new long[Math.max(size, 8)];
            for (int i = 0; i < size; i++) {
                indexes[i] = buf.getInt();
                counts[i] = buf.getLong();
            }
        }
    }
}
