package io.tideline.chaos;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.tideline.loadgen.LoadGenerator;
import io.tideline.loadgen.SyntheticEvents;

/**
 * Steady open-loop load that behaves like a careful client: an event whose send fails is sent again later with
 * the same id, and now and then an event already acknowledged is sent again (a client that did not see the ack).
 * Only acknowledged events enter the ground truth; the pipeline must count each exactly once.
 */
final class ChaosLoad implements Runnable {

    private final String topic;
    private final double rate;
    private final GroundTruth truth;
    private final SyntheticEvents events;
    private final SplittableRandom random;
    private final KafkaProducer<String, byte[]> producer;
    private final Queue<SyntheticEvents.Generated> retries = new ConcurrentLinkedQueue<>();
    private final List<SyntheticEvents.Generated> recent = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong pending = new AtomicLong();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong failedSends = new AtomicLong();
    final AtomicLong clientDuplicates = new AtomicLong();
    final AtomicLong poisonSent = new AtomicLong();

    ChaosLoad(String bootstrap, String topic, double rate, GroundTruth truth, long seed) {
        this.topic = topic;
        this.rate = rate;
        this.truth = truth;
        this.events = new SyntheticEvents(seed, 200, 500);
        this.random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000), new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void run() {
        long interval = (long) (1e9 / rate);
        long start = System.nanoTime();
        for (long i = 0; running.get(); i++) {
            long wait = start + i * interval - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            SyntheticEvents.Generated retry = retries.poll();
            if (retry != null) {
                send(retry);
            } else if (!recent.isEmpty() && random.nextInt(100) == 0) {
                clientDuplicates.incrementAndGet();
                send(recent.get(random.nextInt(recent.size())));
            } else {
                SyntheticEvents.Generated next = events.next(Instant.now());
                if (recent.size() < 1000) {
                    recent.add(next);
                } else {
                    recent.set(random.nextInt(recent.size()), next);
                }
                send(next);
            }
        }
    }

    private void send(SyntheticEvents.Generated generated) {
        pending.incrementAndGet();
        sent.incrementAndGet();
        try {
            producer.send(LoadGenerator.binaryMode(topic, generated), (meta, error) -> {
                if (error == null) {
                    truth.accept(GroundTruth.describe(generated.cloudEvent(), generated.partitionKey(), generated.anomaly()));
                } else {
                    failedSends.incrementAndGet();
                    retries.add(generated);
                }
                pending.decrementAndGet();
            });
        } catch (RuntimeException e) { // buffer full or broker unreachable for max.block.ms
            failedSends.incrementAndGet();
            retries.add(generated);
            pending.decrementAndGet();
        }
    }

    /** Records no reader can use: bytes that are not JSON, and JSON that breaks the schema. */
    void sendPoison(int count) {
        for (int i = 0; i < count; i++) {
            boolean garbage = random.nextBoolean();
            RecordHeaders headers = new RecordHeaders();
            byte[] value;
            if (garbage) {
                headers.add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
                value = new byte[] {(byte) 0xFF, 0x00, (byte) random.nextInt(256), 0x7B};
            } else {
                headers.add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
                headers.add("ce_id", ("poison-" + random.nextLong()).getBytes(StandardCharsets.UTF_8));
                headers.add("ce_source", "/chaos".getBytes(StandardCharsets.UTF_8));
                headers.add("ce_type", "payment".getBytes(StandardCharsets.UTF_8));
                headers.add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
                value = "{\"account\":\"acct-1\",\"amount\":\"not a number\"}".getBytes(StandardCharsets.UTF_8);
            }
            try {
                producer.send(new ProducerRecord<>(topic, null, "poison-" + i, value, headers)).get();
                poisonSent.incrementAndGet();
            } catch (Exception e) {
                // the broker may be restarting: this poison record was not written, so it is not counted
            }
        }
    }

    /** Stops new events, then keeps re-sending failed ones until every event sent has been acknowledged. */
    void finish(long timeoutMs) throws InterruptedException {
        running.set(false);
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            producer.flush();
            SyntheticEvents.Generated retry;
            while ((retry = retries.poll()) != null) {
                send(retry);
            }
            if (pending.get() == 0 && retries.isEmpty()) {
                break;
            }
            Thread.sleep(200);
        }
        producer.close();
    }
}
