package io.tideline.schema;

/** One reason an event does not match its schema: the JSON path of the field and what is wrong with it. */
public record FieldViolation(String field, String reason) {
}
