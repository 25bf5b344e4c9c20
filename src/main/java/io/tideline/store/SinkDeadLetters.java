package io.tideline.store;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tideline.observe.PipelineMetrics;
import io.tideline.process.DeadLetterHeaders;

/**
 * Takes a record a sink cannot read (written by another version of Tideline, or not by Tideline at all) out of
 * the sink's way: to the dead-letter topic with the reason in headers, so that it neither stops the partition
 * nor vanishes. The write is acknowledged before the sink goes on; if the sink's batch is then retried, the
 * record may be dead-lettered twice (the dead-letter topic is at-least-once).
 */
public final class SinkDeadLetters {

    /** Which sink refused the record (both sinks read the aggregates and alerts topics). */
    public static final String SINK = "tideline.dlq.sink";

    private static final Logger log = LoggerFactory.getLogger(SinkDeadLetters.class);

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final PipelineMetrics metrics;
    private final Clock clock;

    public SinkDeadLetters(Producer<String, byte[]> producer, String topic, PipelineMetrics metrics, Clock clock) {
        this.producer = producer;
        this.topic = topic;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * The record's value read with the serde, or null once it has been dead-lettered. Only a record that cannot be
     * read is; a registry that cannot be reached to say how to read it fails the batch, to be retried.
     */
    public <T extends org.apache.avro.specific.SpecificRecord> T decode(String sink, ConsumerRecord<String, byte[]> record,
                                                                        Deserializer<T> serde) {
        try {
            return serde.deserialize(record.topic(), record.value());
        } catch (SerializationException e) {
            deadLetter(sink, record, e);
            return null;
        }
    }

    private void deadLetter(String sink, ConsumerRecord<String, byte[]> record, RuntimeException e) {
        Headers headers = new RecordHeaders(record.headers().toArray());
        put(headers, DeadLetterHeaders.REASON, sink + " sink cannot read it: " + e.getMessage());
        put(headers, DeadLetterHeaders.EXCEPTION, e.getClass().getName());
        put(headers, DeadLetterHeaders.TOPIC, record.topic());
        put(headers, DeadLetterHeaders.PARTITION, Integer.toString(record.partition()));
        put(headers, DeadLetterHeaders.OFFSET, Long.toString(record.offset()));
        put(headers, DeadLetterHeaders.TIME, clock.instant().toString());
        put(headers, SINK, sink);
        try {
            producer.send(new ProducerRecord<>(topic, null, record.timestamp(), record.key(), record.value(), headers))
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering " + where(record), ie);
        } catch (ExecutionException | TimeoutException failed) {
            // Not written: the batch fails and is retried, the record with it. Nothing is skipped unrecorded.
            throw new IllegalStateException("could not dead-letter " + where(record) + ": " + failed, failed);
        }
        metrics.stageCounter(sink, "dead_lettered").increment();
        log.error("{} sink dead-lettered {}: {}", sink, where(record), e.getMessage());
    }

    private static String where(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    private static void put(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
