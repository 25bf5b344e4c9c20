package io.tideline.serve;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Checks of the query API's common parameters; a bad one is an IllegalArgumentException naming it (400). */
final class QueryParameters {

    static final int MAX_LIMIT = 1000;

    private QueryParameters() {
    }

    static int limit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit: must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        return limit;
    }

    static Instant time(String name, String value, Instant fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + ": must be an ISO-8601 instant such as 2026-11-22T10:00:00Z, got \"" + value + "\"");
        }
    }
}
