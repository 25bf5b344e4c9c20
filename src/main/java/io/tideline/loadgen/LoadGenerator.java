package io.tideline.loadgen;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.tideline.config.CommandLineArgs;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Open-loop synthetic load: events are due at fixed intervals and sent when due, however the system responds,
 * so a slow pipeline shows up as lag, not as a politely reduced rate. Writes to the ingest topic as a plain
 * Kafka client would, in CloudEvents binary mode with JSON data.
 * <p>Arguments: {@code --bootstrap host:port --topic T --rate N (events/s) --duration S (0 = until stopped)
 * --anomaly-every N (payments) --reference-data true|false} (publish the accounts and merchants reference data the
 * demo definition joins, to {@code tideline.ref.accounts} and {@code tideline.ref.merchants}, first).
 */
public final class LoadGenerator {

    private static final int ACCOUNTS = 200;

    private LoadGenerator() {
    }

    public static void main(String[] args) {
        String bootstrap = CommandLineArgs.value(args, "--bootstrap", "127.0.0.1:19092");
        String topic = CommandLineArgs.value(args, "--topic", "tideline.ingest");
        double rate = Double.parseDouble(CommandLineArgs.value(args, "--rate", "300"));
        long durationS = Long.parseLong(CommandLineArgs.value(args, "--duration", "0"));
        long anomalyEvery = Long.parseLong(CommandLineArgs.value(args, "--anomaly-every", "2000"));
        if (rate <= 0) {
            throw new IllegalArgumentException("--rate must be positive");
        }
        boolean referenceData = Boolean.parseBoolean(CommandLineArgs.value(args, "--reference-data", "false"));
        SyntheticEvents events = new SyntheticEvents(System.nanoTime(), ACCOUNTS, anomalyEvery);
        AtomicLong sent = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new StringSerializer(), new ByteArraySerializer())) {
            if (referenceData) {
                publishReferenceData(producer);
            }
            System.out.printf("load generator: %.0f events/s to %s on %s%n", rate, topic, bootstrap);
            long intervalNanos = (long) (1e9 / rate);
            long start = System.nanoTime();
            long end = durationS > 0 ? start + Duration.ofSeconds(durationS).toNanos() : Long.MAX_VALUE;
            long nextReport = start + Duration.ofSeconds(10).toNanos();
            for (long i = 0; ; i++) {
                long due = start + i * intervalNanos;
                if (due >= end) {
                    break;
                }
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                SyntheticEvents.Generated generated = events.next(Instant.now());
                producer.send(binaryMode(topic, generated), (meta, error) -> {
                    if (error == null) {
                        sent.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                    }
                });
                if (System.nanoTime() >= nextReport) {
                    System.out.printf("load generator: %d sent, %d failed%n", sent.get(), failed.get());
                    nextReport += Duration.ofSeconds(10).toNanos();
                }
                if (Thread.currentThread().isInterrupted()) {
                    break;
                }
            }
            producer.flush();
        }
        System.out.printf("load generator: done, %d sent, %d failed%n", sent.get(), failed.get());
    }

    private static void publishReferenceData(KafkaProducer<String, byte[]> producer) {
        SyntheticEvents.accountReferences(ACCOUNTS).forEach((id, json) ->
                producer.send(new ProducerRecord<>("tideline.ref.accounts", id, json.getBytes(StandardCharsets.UTF_8))));
        SyntheticEvents.merchantReferences().forEach((id, json) ->
                producer.send(new ProducerRecord<>("tideline.ref.merchants", id, json.getBytes(StandardCharsets.UTF_8))));
        producer.flush();
        System.out.println("load generator: reference data published (accounts, merchants)");
    }

    /** CloudEvents Kafka binding, binary mode: attributes as ce_ headers, the JSON data as the value. */
    public static ProducerRecord<String, byte[]> binaryMode(String topic, SyntheticEvents.Generated generated) {
        ObjectNode event = generated.cloudEvent();
        RecordHeaders headers = new RecordHeaders();
        for (Map.Entry<String, JsonNode> e : event.properties()) {
            if (!e.getKey().equals("data")) {
                headers.add("ce_" + e.getKey(), e.getValue().stringValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        headers.add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(topic, null, generated.partitionKey(),
                event.get("data").toString().getBytes(StandardCharsets.UTF_8), headers);
    }

}
