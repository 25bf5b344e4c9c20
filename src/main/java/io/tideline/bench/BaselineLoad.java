package io.tideline.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.tideline.process.TopicProvisioner;

/**
 * The same run's bare-Kafka reference: produce → consume on the same broker at the same rate, 256-byte records
 * carrying their intended send time, on the same schedule and with the same producer settings as the pipeline's
 * load. What the pipeline adds is its figure divided by this one.
 */
final class BaselineLoad {

    static final String TOPIC = "bench.baseline";

    private BaselineLoad() {
    }

    /** Until the recorder has seen nothing new for half a second (the tail has arrived), or the deadline. */
    static void awaitQuiet(LatencyRecorder recorder, Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        long last = -1;
        while (System.nanoTime() < end) {
            long now = recorder.count();
            if (now == last) {
                return;
            }
            last = now;
            Thread.sleep(500);
        }
    }

    static void measure(String bootstrap, String compression, double rate, long startMs, long durationMs, LatencyRecorder recorder) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            if (!admin.listTopics().names().get().contains(TOPIC)) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 6, (short) 1))).all().get();
            }
            TopicProvisioner.awaitLeaders(admin, List.of(TOPIC), Duration.ofSeconds(30));
        }
        AtomicBoolean running = new AtomicBoolean(true);
        Thread consumerThread = new Thread(() -> {
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream().map(p -> new TopicPartition(TOPIC, p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position);
                while (running.get()) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        recorder.record(ByteBuffer.wrap(r.value()).getLong(), LatencyRecorder.nowMicros());
                    }
                }
            }
        }, "bench-baseline-consumer");
        consumerThread.start();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(BenchLoad.producerConfig(bootstrap, compression),
                new StringSerializer(), new ByteArraySerializer())) {
            long[] i = {0};
            OpenLoopSchedule.run(rate, startMs, durationMs, 0, 1, intendedMs -> {
                byte[] value = new byte[256];
                ByteBuffer.wrap(value).putLong(intendedMs);
                producer.send(new ProducerRecord<>(TOPIC, "k" + (i[0]++ % 1000), value));
            });
            producer.flush();
        }
        awaitQuiet(recorder, Duration.ofSeconds(10));
        running.set(false);
        consumerThread.join();
    }
}
