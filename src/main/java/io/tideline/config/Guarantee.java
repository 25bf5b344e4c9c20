package io.tideline.config;

/**
 * What a figure of an event type promises about client retries. Every type's effects in PostgreSQL and Redis are
 * applied once per event the process stage passes (docs/design/exactly-once.md); the setting chooses whether the
 * process stage passes an event id only once.
 */
public enum Guarantee {

    /** Deduplicated by event id: a client that re-sends an event (same id) has it counted once. */
    EXACTLY_ONCE,

    /**
     * Not deduplicated: a re-sent event counts again. Saves a state-store read and write (and a changelog
     * record) per event, for types where a rare double count is acceptable.
     */
    AT_LEAST_ONCE;

    /** As written in configuration and shown in the API: exactly-once, at-least-once. */
    public String label() {
        return name().toLowerCase().replace('_', '-');
    }
}
