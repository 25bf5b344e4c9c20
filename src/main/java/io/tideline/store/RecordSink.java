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

    /** Writes the batch and its offsets atomically; throws if nothing was written. */
    void write(ConsumerRecords<String, byte[]> batch);
}
