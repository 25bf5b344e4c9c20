package io.tideline.ingest;

import java.util.List;

import io.tideline.schema.FieldViolation;

/** An event failed validation: which event (its id, if it had one) and every reason. */
public class InvalidEventException extends RuntimeException {

    private final String eventId;
    private final List<FieldViolation> violations;

    public InvalidEventException(String eventId, List<FieldViolation> violations) {
        super("event " + (eventId == null ? "<no id>" : eventId) + " is invalid: "
                + violations.stream().map(v -> v.field() + " " + v.reason()).reduce((a, b) -> a + "; " + b).orElse(""));
        this.eventId = eventId;
        this.violations = List.copyOf(violations);
    }

    public String eventId() {
        return eventId;
    }

    public List<FieldViolation> violations() {
        return violations;
    }
}
