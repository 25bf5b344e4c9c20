package io.tideline.config;

/**
 * What a figure of an event type promises. The PostgreSQL history is always exactly-once; the setting chooses how
 * the type's live Redis read model is fed.
 */
public enum Guarantee {

    /** Read model fed only with committed processing output: every figure counts each event exactly once. */
    EXACTLY_ONCE,

    /**
     * Read model fed from uncommitted output, up to a commit interval sooner. After a crash a figure may briefly
     * include updates of a transaction that was then aborted, until the reprocessed update replaces it.
     */
    AT_LEAST_ONCE;

    /** As written in configuration and shown in the API: exactly-once, at-least-once. */
    public String label() {
        return name().toLowerCase().replace('_', '-');
    }
}
