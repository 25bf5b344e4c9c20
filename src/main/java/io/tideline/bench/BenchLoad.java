package io.tideline.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.tideline.loadgen.LoadGenerator;
import io.tideline.loadgen.SyntheticEvents;

/**
 * Open-loop load at a fixed rate, over the Kafka ingest path (a Kafka client in CloudEvents binary mode) or the
 * HTTP API (batches of {@link #HTTP_BATCH}). Each event's time is its <em>intended</em> send time; every event is
 * announced to the recorders that will observe it.
 */
final class BenchLoad {

    static final int HTTP_BATCH = 20;

    private final SyntheticEvents events;
    private final List<LatencyRecorder> perSeries;
    final AtomicLong sent = new AtomicLong();
    final AtomicLong acked = new AtomicLong();
    final AtomicLong failed = new AtomicLong();

    BenchLoad(long seed, int accounts, double hotKeyShare, List<LatencyRecorder> perSeries) {
        this.events = new SyntheticEvents(seed, accounts, 0, hotKeyShare);
        this.perSeries = perSeries;
    }

    void runKafka(String bootstrap, String topic, double rate, long startMs, long durationMs) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new StringSerializer(), new ByteArraySerializer())) {
            schedule(rate, startMs, durationMs, 1, batch -> {
                for (SyntheticEvents.Generated g : batch) {
                    producer.send(LoadGenerator.binaryMode(topic, g), (meta, error) -> {
                        if (error == null) {
                            acked.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                        }
                    });
                }
            });
            producer.flush();
        }
    }

    void runHttp(String baseUrl, double rate, long startMs, long durationMs) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Semaphore inFlight = new Semaphore(256);
        URI uri = URI.create(baseUrl + "/v1/events");
        schedule(rate, startMs, durationMs, HTTP_BATCH, batch -> {
            String body = batch.stream().map(g -> g.cloudEvent().toString()).toList().toString();
            inFlight.acquireUninterruptibly();
            http.sendAsync(HttpRequest.newBuilder(uri).header("Content-Type", "application/cloudevents-batch+json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, error) -> {
                        inFlight.release();
                        if (error == null && response.statusCode() == 202) {
                            acked.addAndGet(batch.size());
                        } else {
                            failed.addAndGet(batch.size());
                        }
                    });
        });
        inFlight.acquireUninterruptibly(256); // every request answered
    }

    private void schedule(double rate, long startMs, long durationMs, int batchSize,
                          java.util.function.Consumer<List<SyntheticEvents.Generated>> send) {
        long intervalNanos = (long) (1e9 * batchSize / rate);
        long startNanos = System.nanoTime() + (startMs - System.currentTimeMillis()) * 1_000_000;
        long batches = (long) (durationMs / 1000.0 * rate / batchSize);
        for (long i = 0; i < batches; i++) {
            long due = startNanos + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            long intendedMs = startMs + (i * intervalNanos) / 1_000_000;
            List<SyntheticEvents.Generated> batch = new ArrayList<>(batchSize);
            for (int j = 0; j < batchSize; j++) {
                SyntheticEvents.Generated g = events.next(Instant.ofEpochMilli(intendedMs));
                String series = g.cloudEvent().get("type").stringValue() + "|" + g.partitionKey();
                for (LatencyRecorder r : perSeries) {
                    r.sent(series, intendedMs);
                }
                batch.add(g);
            }
            sent.addAndGet(batchSize);
            send.accept(batch);
        }
    }
}
