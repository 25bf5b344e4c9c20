package io.tideline.process;

import java.nio.ByteBuffer;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * One key's recent amounts (or other measures) with their event times, oldest first: the sliding window of the
 * z-score rules. Kept as primitive arrays and stored packed (8-byte time, 8-byte amount per sample), because the rule
 * reads and rewrites it for every payment: as boxed Avro arrays this was a third of the stream thread's time.
 */
public final class AmountSamples {

    private static final int SAMPLE_BYTES = Long.BYTES + Double.BYTES;

    private final long[] times;
    private final double[] amounts;
    private final int size;

    private AmountSamples(long[] times, double[] amounts, int size) {
        this.times = times;
        this.amounts = amounts;
        this.size = size;
    }

    public static AmountSamples empty() {
        return new AmountSamples(new long[0], new double[0], 0);
    }

    public int size() {
        return size;
    }

    public double amount(int i) {
        return amounts[i];
    }

    public double mean() {
        double sum = 0;
        for (int i = 0; i < size; i++) {
            sum += amounts[i];
        }
        return size == 0 ? 0 : sum / size;
    }

    /** Population standard deviation. */
    public double stddev() {
        double mean = mean();
        double squares = 0;
        for (int i = 0; i < size; i++) {
            double d = amounts[i] - mean;
            squares += d * d;
        }
        return size == 0 ? 0 : Math.sqrt(squares / size);
    }

    /** The samples at or after {@code oldest}, plus (time, amount) if given, keeping at most {@code max}, newest. */
    public AmountSamples slide(long oldest, boolean add, long time, double amount, int max) {
        int first = 0;
        while (first < size && times[first] < oldest) {
            first++;
        }
        int kept = size - first + (add ? 1 : 0);
        int drop = Math.max(0, kept - max);
        first += drop;
        kept -= drop;
        long[] t = new long[kept];
        double[] a = new double[kept];
        int fromOld = size - first;
        if (fromOld > 0) {
            System.arraycopy(times, first, t, 0, fromOld);
            System.arraycopy(amounts, first, a, 0, fromOld);
        }
        if (add && kept > 0) {
            t[kept - 1] = time;
            a[kept - 1] = amount;
        }
        return new AmountSamples(t, a, kept);
    }

    /** Samples at or after {@code oldest} only (the current window), without copying when nothing expired. */
    public AmountSamples since(long oldest) {
        return size == 0 || times[0] >= oldest ? this : slide(oldest, false, 0, 0, Integer.MAX_VALUE);
    }

    public static Serde<AmountSamples> serde() {
        return Serdes.serdeFrom((topic, samples) -> {
            if (samples == null) {
                return null;
            }
            ByteBuffer out = ByteBuffer.allocate(samples.size * SAMPLE_BYTES);
            for (int i = 0; i < samples.size; i++) {
                out.putLong(samples.times[i]).putDouble(samples.amounts[i]);
            }
            return out.array();
        }, (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length % SAMPLE_BYTES != 0) {
                throw new IllegalArgumentException("not amount samples: " + bytes.length + " bytes");
            }
            ByteBuffer in = ByteBuffer.wrap(bytes);
            int n = bytes.length / SAMPLE_BYTES;
            long[] t = new long[n];
            double[] a = new double[n];
            for (int i = 0; i < n; i++) {
                t[i] = in.getLong();
                a[i] = in.getDouble();
            }
            return new AmountSamples(t, a, n);
        });
    }
}
