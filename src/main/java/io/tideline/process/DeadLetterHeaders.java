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
    /** How often the record has been re-driven; travels with it so re-drive loops end. */
    public static final String REDRIVE_COUNT = "tideline.dlq.redrive-count";
    /** Kafka Streams' own dead-letter headers (processing and deserialization failures inside the topology). */
    public static final String STREAMS_PREFIX = "__streams.errors.";
    public static final String STREAMS_EXCEPTION = STREAMS_PREFIX + "exception";
    public static final String STREAMS_MESSAGE = STREAMS_PREFIX + "message";
    public static final String STREAMS_TOPIC = STREAMS_PREFIX + "topic";
    public static final String STREAMS_PARTITION = STREAMS_PREFIX + "partition";
    public static final String STREAMS_OFFSET = STREAMS_PREFIX + "offset";

    private DeadLetterHeaders() {
    }
}
