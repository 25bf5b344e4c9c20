package io.tideline.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class AmountSamplesTest {

    @Test
    void slidingDropsExpiredSamplesAndKeepsTheNewestWithinTheCap() {
        AmountSamples s = AmountSamples.empty();
        for (int i = 0; i < 5; i++) {
            s = s.slide(Long.MIN_VALUE, true, 1000L * i, i, 3);
        }
        assertThat(amounts(s)).containsExactly(2.0, 3.0, 4.0);
        assertThat(amounts(s.since(3000))).containsExactly(3.0, 4.0);
        assertThat(s.since(0)).isSameAs(s);
        assertThat(amounts(s.slide(Long.MIN_VALUE, false, 0, 0, 3))).containsExactly(2.0, 3.0, 4.0);
    }

    @Test
    void packedBytesRoundTripAndForeignBytesAreRefused() {
        Serde<AmountSamples> serde = AmountSamples.serde();
        AmountSamples s = AmountSamples.empty().slide(Long.MIN_VALUE, true, 7L, 12.5, 10).slide(Long.MIN_VALUE, true, 9L, -3.25, 10);
        AmountSamples back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", s));
        assertThat(amounts(back)).containsExactly(12.5, -3.25);
        assertThat(back.since(8)).extracting(AmountSamples::size).isEqualTo(1);
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[] {1, 2, 3}))
                .hasMessageContaining("not amount samples");
    }

    private static double[] amounts(AmountSamples s) {
        double[] a = new double[s.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = s.amount(i);
        }
        return a;
    }
}
