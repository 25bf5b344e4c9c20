package io.tideline.schema.registry;

import java.util.List;

/**
 * The compatibility rules of a subject, with Confluent Schema Registry's names and meaning. "Backward": consumers
 * using the new schema can read data written with earlier ones, so consumers upgrade first. "Forward": data written
 * with the new schema can be read by consumers still on earlier ones, so producers upgrade first. "Full": both.
 * Without {@code _TRANSITIVE} the check is against the latest version only; with it, against every version.
 */
public enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    private final boolean newReadsOld;
    private final boolean oldReadsNew;
    private final boolean transitive;

    CompatibilityLevel(boolean newReadsOld, boolean oldReadsNew, boolean transitive) {
        this.newReadsOld = newReadsOld;
        this.oldReadsNew = oldReadsNew;
        this.transitive = transitive;
    }

    boolean newReadsOld() {
        return newReadsOld;
    }

    boolean oldReadsNew() {
        return oldReadsNew;
    }

    /** The registered versions (oldest first) a new schema is checked against. */
    <T> List<T> checkedAgainst(List<T> registered) {
        if (this == NONE || registered.isEmpty()) {
            return List.of();
        }
        return transitive ? registered : List.of(registered.get(registered.size() - 1));
    }
}
