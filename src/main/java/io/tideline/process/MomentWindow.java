package io.tideline.process;

import java.nio.ByteBuffer;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A key's recent values summarised for a z-score: a sliding event-time window cut into a fixed number of buckets,
 * each holding the count, sum and sum of squares of its values. Its size is fixed whatever the rate — the rule
 * reads and rewrites it for every payment, and through the record cache it is written to RocksDB and its
 * changelog once per key per commit. Kept as the values themselves (200 of them, 3.2 KB per key), it was the
 * largest topic of the pipeline, bigger than the ingest topic (docs/benchmarks.md).
 * <p>The window slides a bucket at a time: the baseline covers the buckets whose start lies within the window
 * before the newest value's bucket, so between {@code window - window / buckets} and {@code window} of history.
 * Sums are of the values minus a per-key shift (the first value seen), which keeps the variance computed from
 * them accurate when the mean is large against the spread.
 */
public final class MomentWindow {

    private static final int HEADER_BYTES = Double.BYTES + Long.BYTES + Long.BYTES;
    private static final int BUCKET_BYTES = Long.BYTES + Double.BYTES + Double.BYTES;

    private final double shift;
    /** Milliseconds of event time per bucket. */
    private final long width;
    /** Index (event time / width) of the newest bucket; the others are the ones before it, in a ring. */
    private final long newest;
    private final long[] counts;
    private final double[] sums;
    private final double[] squares;

    private MomentWindow(double shift, long width, long newest, long[] counts, double[] sums, double[] squares) {
        this.shift = shift;
        this.width = width;
        this.newest = newest;
        this.counts = counts;
        this.sums = sums;
        this.squares = squares;
    }

    /** A window of {@code buckets} buckets of {@code width} milliseconds each. */
    public static MomentWindow empty(int buckets, long width) {
        if (buckets < 1 || width < 1) {
            throw new IllegalArgumentException("a moment window needs at least one bucket of at least 1 ms, got "
                    + buckets + " of " + width + " ms");
        }
        return new MomentWindow(Double.NaN, width, Long.MIN_VALUE, new long[buckets], new double[buckets], new double[buckets]);
    }

    /** Whether this window was made with these settings (a stored one may predate a change of them). */
    public boolean hasShape(int buckets, long width) {
        return counts.length == buckets && this.width == width;
    }

    /** The window as of event time {@code time}: buckets that slid out of it are emptied. Never moves back in time. */
    public MomentWindow at(long time) {
        long bucket = Math.floorDiv(time, width);
        if (newest != Long.MIN_VALUE && bucket <= newest) {
            return this;
        }
        long[] c = counts.clone();
        double[] s = sums.clone();
        double[] q = squares.clone();
        if (newest != Long.MIN_VALUE) {
            for (long b = Math.max(newest + 1, bucket - counts.length + 1); b <= bucket; b++) {
                int slot = slot(b);
                c[slot] = 0;
                s[slot] = 0;
                q[slot] = 0;
            }
        }
        return new MomentWindow(shift, width, bucket, c, s, q);
    }

    /**
     * Adds {@code value} at event time {@code time} to its bucket: the newest, or an older one still in the window (a
     * value older than the whole window counts nowhere). Returns a new window; this one is unchanged.
     */
    public MomentWindow add(long time, double value) {
        long bucket = Math.floorDiv(time, width);
        MomentWindow w = at(time);
        if (bucket <= w.newest - counts.length) {
            return w;
        }
        double base = Double.isNaN(w.shift) ? value : w.shift;
        long[] c = w.counts.clone();
        double[] s = w.sums.clone();
        double[] q = w.squares.clone();
        int slot = slot(bucket);
        double d = value - base;
        c[slot]++;
        s[slot] += d;
        q[slot] += d * d;
        return new MomentWindow(base, width, w.newest, c, s, q);
    }

    public long count() {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return n;
    }

    public double mean() {
        long n = count();
        return n == 0 ? 0 : shift + total(sums) / n;
    }

    /** Population standard deviation. */
    public double stddev() {
        long n = count();
        if (n == 0) {
            return 0;
        }
        double m = total(sums) / n;
        return Math.sqrt(Math.max(0, total(squares) / n - m * m));
    }

    private static double total(double[] values) {
        double t = 0;
        for (double v : values) {
            t += v;
        }
        return t;
    }

    private int slot(long bucket) {
        return (int) Math.floorMod(bucket, (long) counts.length);
    }

    /** Packed: the shift, the width and the newest bucket, then each bucket's count, sum and sum of squares. */
    public static Serde<MomentWindow> serde() {
        return Serdes.serdeFrom((topic, w) -> {
            if (w == null) {
                return null;
            }
            ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + w.counts.length * BUCKET_BYTES);
            out.putDouble(w.shift).putLong(w.width).putLong(w.newest);
            for (int i = 0; i < w.counts.length; i++) {
                out.putLong(w.counts[i]).putDouble(w.sums[i]).putDouble(w.squares[i]);
            }
            return out.array();
        }, (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length < HEADER_BYTES + BUCKET_BYTES || (bytes.length - HEADER_BYTES) % BUCKET_BYTES != 0) {
                throw new IllegalArgumentException("not a moment window: " + bytes.length + " bytes");
            }
            ByteBuffer in = ByteBuffer.wrap(bytes);
            double shift = in.getDouble();
            long width = in.getLong();
            long newest = in.getLong();
            int n = (bytes.length - HEADER_BYTES) / BUCKET_BYTES;
            long[] c = new long[n];
            double[] s = new double[n];
            double[] q = new double[n];
            for (int i = 0; i < n; i++) {
                c[i] = in.getLong();
                s[i] = in.getDouble();
                q[i] = in.getDouble();
            }
            return new MomentWindow(shift, width, newest, c, s, q);
        });
    }
}
