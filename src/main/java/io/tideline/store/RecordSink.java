package io.tideline.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * A store that Kafka records are written into with exactly-once effect: it keeps, atomically with the data, the
 * next offset to read for each partition, and hands those offsets back when partitions are assigned.
 */
public interface RecordSink {

    /** A name for logs, metrics and the offsets namespace. */
    String name();

    /** The topics it reads. */
    List<String> sourceTopics();

    /** The next offset to read for each partition the store has seen; partitions it has not seen are absent. */
    Map<TopicPartition, Long> storedOffsets(Collection<TopicPartition> partitions);

    /**
     * Writes the batch and its offsets atomically; throws if nothing was written. A sink may hold some of a batch
     * back and write it with a later one, as long as the offsets it stores do not pass what it holds; it is then
     * also called with an empty batch when a poll returned nothing, to write what is due.
     */
    void write(ConsumerRecords<String, byte[]> batch);

    /** Whether it holds records back that a later {@link #write} or {@link #flush} is to write. */
    default boolean holdsBack() {
        return false;
    }

    /** Writes whatever it holds back, now (before the loop stops). */
    default void flush() {
    }

    /**
     * Forgets what it holds back from these partitions: the loop is about to read them again from the stored
     * offsets, or they were taken away.
     */
    default void discard(Collection<TopicPartition> partitions) {
    }
}
