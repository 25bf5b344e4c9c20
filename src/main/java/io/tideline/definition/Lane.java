package io.tideline.definition;

/**
 * How urgently a metric or rule is computed.
 * <ul>
 * <li>{@code fast}: in the task that owns the event's partition key, no repartition hop; each update goes out at
 * once. Only for groupings by the events' partition key (or none).</li>
 * <li>{@code standard}: may re-key by any field through a repartition topic (one exactly-once commit later);
 * window updates go out on a short beat.</li>
 * <li>{@code batch}: not streamed; computed from the PostgreSQL history when queried.</li>
 * </ul>
 */
public enum Lane {
    FAST, STANDARD, BATCH;

    public String label() {
        return name().toLowerCase();
    }
}
