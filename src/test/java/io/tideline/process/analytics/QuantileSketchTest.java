package io.tideline.process.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class QuantileSketchTest {

    private static double exact(double[] sorted, double p) {
        int rank = (int) Math.max(1, Math.ceil(p / 100.0 * sorted.length));
        return sorted[rank - 1];
    }

    @Test
    void everyPercentileIsWithinOnePercentOfTheNearestRankValue() {
        SplittableRandom random = new SplittableRandom(42);
        double[] values = new double[20_000];
        QuantileSketch sketch = new QuantileSketch();
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.exp(random.nextDouble() * 12) / 100; // 0.01 .. 1600, spread over six decades
            sketch.add(values[i]);
        }
        Arrays.sort(values);
        for (double p : new double[] {0.1, 1, 25, 50, 75, 90, 95, 99, 99.9, 100}) {
            assertThat(sketch.percentile(p)).as("p" + p).isCloseTo(exact(values, p), withinPercentage(1));
        }
        assertThat(sketch.encodedSize()).as("buckets, not values").isLessThan(16_000);
    }

    @Test
    void negativeValuesAndZeroKeepTheirOrder() {
        QuantileSketch sketch = new QuantileSketch();
        for (double v : new double[] {-50, -5, 0, 0, 5, 50}) {
            sketch.add(v);
        }
        assertThat(sketch.percentile(1)).isCloseTo(-50, withinPercentage(1));
        assertThat(sketch.percentile(33)).isCloseTo(-5, withinPercentage(1)); // rank 2 of 6
        assertThat(sketch.percentile(50)).isZero();
        assertThat(sketch.percentile(100)).isCloseTo(50, withinPercentage(1));
        assertThat(new QuantileSketch().percentile(50)).isNull();
    }

    @Test
    void mergingEqualsAddingAndEncodingRoundTrips() {
        QuantileSketch a = new QuantileSketch();
        QuantileSketch b = new QuantileSketch();
        QuantileSketch all = new QuantileSketch();
        for (int i = 1; i <= 1000; i++) {
            (i % 3 == 0 ? a : b).add(i * 1.5);
            all.add(i * 1.5);
        }
        a.merge(b);
        ByteBuffer buf = ByteBuffer.allocate(a.encodedSize());
        a.encode(buf);
        buf.flip();
        QuantileSketch decoded = QuantileSketch.decode(buf);
        for (double p : new double[] {1, 50, 99}) {
            assertThat(decoded.percentile(p)).isEqualTo(all.percentile(p));
        }
        assertThat(decoded.count()).isEqualTo(1000);
    }
}
