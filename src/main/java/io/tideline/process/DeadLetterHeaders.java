package io.tideline.process;

/** The headers every dead-letter record carries besides the original record's own (documented in docs/api.md). */
public final class DeadLetterHeaders {

    /** Why the record was refused, naming fields where it can. */
    public static final String REASON = "tideline.dlq.reason";
    /** Class name of the exception behind the refusal. */
    public static final String EXCEPTION = "tideline.dlq.exception";
    /** Where the original record was: topic, partition, offset. */
    public static final String TOPIC = "tideline.dlq.topic";
    public static final String PARTITION = "tideline.dlq.partition";
    public static final String OFFSET = "tideline.dlq.offset";
    /** When it was dead-lettered (RFC 3339). */
    public static final String TIME = "tideline.dlq.time";

    private DeadLetterHeaders() {
    }
}
