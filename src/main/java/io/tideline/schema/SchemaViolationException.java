package io.tideline.schema;

import java.util.List;

/** An event's data does not match its Avro schema; carries every violation found, not just the first. */
public class SchemaViolationException extends RuntimeException {

    private final List<FieldViolation> violations;

    public SchemaViolationException(List<FieldViolation> violations) {
        super(violations.stream().map(v -> v.field() + ": " + v.reason()).reduce((a, b) -> a + "; " + b).orElse("invalid"));
        this.violations = List.copyOf(violations);
    }

    public List<FieldViolation> violations() {
        return violations;
    }
}
