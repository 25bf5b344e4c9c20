package io.tideline.process;

import java.util.List;

import io.tideline.model.EventEnvelope;
import io.tideline.schema.FieldViolation;

/**
 * What the normalizer made of one ingest record: a valid event (possibly on the wrong partition for its key), or
 * a rejection that carries the original bytes for the dead-letter topic.
 */
record Normalized(EventEnvelope event, boolean misrouted, Rejection rejection) {

    /** Why a record was refused, with everything needed to re-drive it after a fix. */
    record Rejection(byte[] originalKey, byte[] originalValue, String reason, String exceptionClass,
                     List<FieldViolation> violations) {
    }

    static Normalized valid(EventEnvelope event, boolean misrouted) {
        return new Normalized(event, misrouted, null);
    }

    static Normalized rejected(Rejection rejection) {
        return new Normalized(null, false, rejection);
    }

    boolean isRejected() {
        return rejection != null;
    }
}
