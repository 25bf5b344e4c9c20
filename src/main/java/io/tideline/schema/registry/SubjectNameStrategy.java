package io.tideline.schema.registry;

import org.apache.avro.Schema;

/** Which subject a record's schema is registered under, with the names and rules of Confluent's serializers. */
public enum SubjectNameStrategy {
    /** {@code <topic>-value} (or {@code -key}): one schema lineage per topic; Confluent's default. */
    TOPIC_NAME,
    /** The record's full name: one lineage per record type, whatever topics it goes to. */
    RECORD_NAME,
    /** {@code <topic>-<full name>}: several record types in one topic, each with its own lineage. */
    TOPIC_RECORD_NAME;

    public String subject(String topic, boolean isKey, Schema schema) {
        return switch (this) {
            case TOPIC_NAME -> topic + (isKey ? "-key" : "-value");
            case RECORD_NAME -> schema.getFullName();
            case TOPIC_RECORD_NAME -> topic + "-" + schema.getFullName();
        };
    }
}
