package io.tideline.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class MomentWindowTest {

    @Test
    void meanAndStddevAreThoseOfTheValuesInTheWindow() {
        MomentWindow w = MomentWindow.empty(3, 1).add(10, 2).add(10, 4).add(11, 4).add(12, 4).add(12, 5).add(12, 5).add(12, 7).add(12, 9);

        assertThat(w.count()).isEqualTo(8);
        assertThat(w.mean()).isCloseTo(5.0, within(1e-12));
        assertThat(w.stddev()).isCloseTo(2.0, within(1e-12));
    }

    @Test
    void bucketsSlideOutAsTimeMovesOnAndTheOldOnesAreNotChanged() {
        MomentWindow first = MomentWindow.empty(3, 1).add(10, 100).add(11, 200);
        MomentWindow later = first.add(13, 300); // bucket 10 is out (window = buckets 11..13)

        assertThat(later.count()).isEqualTo(2);
        assertThat(later.mean()).isCloseTo(250, within(1e-9));
        assertThat(first.count()).isEqualTo(2);
        assertThat(later.at(20).count()).isZero();
    }

    @Test
    void aLateValueCountsInItsBucketIfStillInTheWindowAndNowhereIfOlder() {
        MomentWindow w = MomentWindow.empty(3, 1).add(12, 10);

        assertThat(w.add(10, 20).count()).isEqualTo(2);
        assertThat(w.add(9, 20).count()).isEqualTo(1);
        assertThat(w.add(10, 20).at(13).count()).isEqualTo(1); // and it leaves with its bucket
    }

    @Test
    void bucketsAreWidthsOfEventTime() {
        MomentWindow w = MomentWindow.empty(3, 1000).add(10_000, 1).add(10_999, 3); // both in bucket 10
        assertThat(w.add(12_999, 5).count()).isEqualTo(3); // buckets 10..12
        assertThat(w.add(13_000, 5).count()).isEqualTo(1); // buckets 11..13: bucket 10 is out
    }

    @Test
    void varianceStaysAccurateWhenTheMeanIsLargeAgainstTheSpread() {
        MomentWindow w = MomentWindow.empty(10, 1);
        for (int i = 0; i < 10_000; i++) {
            w = w.add(1, 1e9 + (i % 2 == 0 ? -1 : 1));
        }
        assertThat(w.mean()).isCloseTo(1e9, within(1e-6));
        assertThat(w.stddev()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void serdeRoundTripsAndRefusesOtherBytes() {
        Serde<MomentWindow> serde = MomentWindow.serde();
        MomentWindow w = MomentWindow.empty(4, 1).add(5, 1.5).add(7, -2.25);
        MomentWindow back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", w));

        assertThat(back.hasShape(4, 1)).isTrue();
        assertThat(back.hasShape(4, 2)).isFalse();
        assertThat(back.hasShape(5, 1)).isFalse();
        assertThat(back.count()).isEqualTo(2);
        assertThat(back.mean()).isEqualTo(w.mean());
        assertThat(back.stddev()).isEqualTo(w.stddev());
        assertThat(serde.serializer().serialize("t", w)).hasSize(24 + 4 * 24);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[17]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
