package io.tideline.definition;

import java.time.Duration;

import io.tideline.model.Severity;

/**
 * A complex-event rule per key: {@code first} followed by {@code then} within a time ({@code then} set), or
 * {@code first} not followed by {@code absent} within it ({@code absent} set) — the latter fires when the time runs
 * out, on the wall clock if the key has gone quiet. A step's condition may read the first event as {@code first.<field>}.
 */
public record SequenceRule(String name, String key, Step first, Step then, Step absent, Duration within,
                           Severity severity, Lane lane) {

    public record Step(String type, Condition where) {
    }

    public boolean isAbsence() {
        return absent != null;
    }

    public Step second() {
        return isAbsence() ? absent : then;
    }
}
