package io.tideline.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Rfc3339Test {

    @Test
    void readsWhatTheGeneralParserReadsToTheSameInstant() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            OffsetDateTime t = OffsetDateTime.ofInstant(Instant.ofEpochSecond(random.nextLong(-5_000_000_000L, 5_000_000_000L),
                    random.nextInt(1_000_000_000)), ZoneOffset.ofTotalSeconds(60 * random.nextInt(-18 * 60, 18 * 60 + 1)));
            String text = t.toString();
            assertThat(Rfc3339.parse(text)).as(text).isEqualTo(OffsetDateTime.parse(text).toInstant());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-22T10:15:30Z", "2026-11-22t10:15:30z", "2026-11-22T10:15:30.5+01:00",
            "2026-11-22T10:15:30.123456789-05:30", "2024-02-29T23:59:59.000Z", "2026-11-22T10:15Z", "2026-11-22T10:15:30.Z", "2026-11-22T10:15:30+18:00"})
    void agreesOnEveryShape(String text) {
        assertThat(Rfc3339.parse(text)).isEqualTo(OffsetDateTime.parse(text.toUpperCase()).toInstant());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-30T10:15:30Z", "2026-13-01T10:15:30Z", "2026-11-22T24:00:00Z", "2026-11-22T10:60:30Z",
            "2026-11-22T10:15:30", "2026-11-22T10:15:30.1234567890Z", "2026-11-22T10:15:30+19:00",
            "2026-11-22 10:15:30Z", "yesterday", "2026-11-22T10:15:3aZ", "2026-11-22T10:15:30ZZ"})
    void refusesWhatTheGeneralParserRefuses(String text) {
        assertThatThrownBy(() -> OffsetDateTime.parse(text)).isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> Rfc3339.parse(text)).isInstanceOf(DateTimeParseException.class);
    }
}
