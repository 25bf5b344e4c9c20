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
import java.util.function.BiConsumer;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.tideline.loadgen.LoadGenerator;
import io.tideline.loadgen.SyntheticEvents;

/**
 * Open-loop load at a fixed rate, over the Kafka ingest path (a Kafka client in CloudEvents binary mode) or the
 * HTTP API (batches of {@link #HTTP_BATCH}). Each event's time is its <em>intended</em> send time; every event is
 * announced to the recorders that will observe it (the schedule: {@link OpenLoopSchedule}).
 * <p>During the warm-up the rate ramps up linearly from a tenth of the target: a JVM that has not compiled its hot
 * paths yet falls behind a full-rate start, and the backlog it builds then would be measured long after the
 * warm-up as if the steady state were slow.
 */
final class BenchLoad {

    static final int HTTP_BATCH = 20;

    private final SyntheticEvents events;
    private final List<LatencyRecorder> perSeries;
    final AtomicLong sent = new AtomicLong();
    final AtomicLong acked = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    /** Acknowledged events whose intended time is in the measurement window. */
    final AtomicLong measured = new AtomicLong();
    private final long rampMs;
    private final long measureFromMs;
    private final long measureUntilMs;

    /** @param rampMs the warm-up, over which the rate ramps up; the measurement window follows it */
    BenchLoad(long seed, int accounts, double hotKeyShare, List<LatencyRecorder> perSeries, long rampMs,
              long measureFromMs, long measureUntilMs) {
        this.events = new SyntheticEvents(seed, accounts, 0, hotKeyShare);
        this.perSeries = perSeries;
        this.rampMs = rampMs;
        this.measureFromMs = measureFromMs;
        this.measureUntilMs = measureUntilMs;
    }

    /** @param compression the producer's compression.type, as a Kafka client of the ingest topic chooses it */
    void runKafka(String bootstrap, String topic, String compression, double rate, long startMs, long durationMs) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig(bootstrap, compression),
                new StringSerializer(), new ByteArraySerializer())) {
            schedule(rate, startMs, durationMs, 1, (intendedMs, batch) -> {
                for (SyntheticEvents.Generated g : batch) {
                    producer.send(LoadGenerator.binaryMode(topic, g), (meta, error) -> {
                        if (error == null) {
                            acknowledged(intendedMs, 1);
                        } else {
                            failed.incrementAndGet();
                        }
                    });
                }
            });
            producer.flush();
        }
    }

    /** The bench's producers (load and baseline) alike: the settings of the pipeline's own ingest producer. */
    static Map<String, Object> producerConfig(String bootstrap, String compression) {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
    }

    void runHttp(String baseUrl, double rate, long startMs, long durationMs) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Semaphore inFlight = new Semaphore(256);
        URI uri = URI.create(baseUrl + "/v1/events");
        schedule(rate, startMs, durationMs, HTTP_BATCH, (intendedMs, batch) -> {
            String body = batch.stream().map(g -> g.cloudEvent().toString()).toList().toString();
            inFlight.acquireUninterruptibly();
            http.sendAsync(HttpRequest.newBuilder(uri).header("Content-Type", "application/cloudevents-batch+json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, error) -> {
                        inFlight.release();
                        if (error == null && response.statusCode() == 202) {
                            acknowledged(intendedMs, batch.size());
                        } else {
                            failed.addAndGet(batch.size());
                        }
                    });
        });
        inFlight.acquireUninterruptibly(256); // every request answered
    }

    private void acknowledged(long intendedMs, int events) {
        acked.addAndGet(events);
        if (intendedMs >= measureFromMs && intendedMs < measureUntilMs) {
            measured.addAndGet(events);
        }
    }

    private void schedule(double rate, long startMs, long durationMs, int batchSize,
                          BiConsumer<Long, List<SyntheticEvents.Generated>> send) {
        OpenLoopSchedule.run(rate, startMs, durationMs, rampMs, batchSize, intendedMs -> {
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
            send.accept(intendedMs, batch);
        });
    }
}
