package io.tideline.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import io.tideline.model.EventEnvelope;

/**
 * Writes validated events to the ingest topic in CloudEvents binary mode, keyed by partition key, and returns
 * only once Kafka has acknowledged every one (acks=all): a 202 means durable. If any send fails the caller
 * answers 503; events of the request that did reach Kafka are harmless, since a retry with the same ids is
 * deduplicated downstream.
 */
public class EventPublisher {

    private final Producer<String, byte[]> producer;
    private final KafkaCloudEventBinding binding;
    private final String topic;
    private final Duration timeout;

    public EventPublisher(Producer<String, byte[]> producer, KafkaCloudEventBinding binding, String topic, Duration timeout) {
        this.producer = producer;
        this.binding = binding;
        this.topic = topic;
        this.timeout = timeout;
    }

    public void publish(List<EventEnvelope> events) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
        try {
            for (EventEnvelope event : events) {
                acks.add(producer.send(new ProducerRecord<>(topic, null, KafkaCloudEventBinding.timestampFor(event),
                        event.getPartitionKey(), binding.valueFor(event), binding.headersFor(event))));
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailedException("interrupted while waiting for Kafka", e);
        } catch (ExecutionException e) {
            throw new PublishFailedException("Kafka refused the events: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new PublishFailedException("Kafka did not acknowledge the events within " + timeout, e);
        } catch (RuntimeException e) {
            throw new PublishFailedException("could not hand the events to Kafka: " + e.getMessage(), e);
        }
    }
}
