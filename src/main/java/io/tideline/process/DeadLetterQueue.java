package io.tideline.process;

import static io.tideline.process.DeadLetterHeaders.*;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the dead-letter topic and re-drives chosen records to the topic they came from, once the cause is fixed.
 * A re-driven record carries a count; past {@code maxRedrives} it is refused, so a record that can never succeed
 * cannot circle between the ingest and dead-letter topics forever.
 */
public class DeadLetterQueue {

    /** One dead letter, as operators see it. */
    public record Entry(int partition, long offset, String key, String reason, String exception, String originalTopic,
                        Integer originalPartition, Long originalOffset, String time, int redriveCount,
                        String value, String valueEncoding) {
    }

    /** Which dead letter: its place in the dead-letter topic. */
    public record Position(int partition, long offset) {
    }

    /** What a re-drive did with each record asked for. */
    public record RedriveResult(List<Position> redriven, List<Refusal> refused) {
    }

    public record Refusal(int partition, long offset, String reason) {
    }

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private final String bootstrapServers;
    private final String topic;
    private final List<String> redrivableTopics;
    private final int maxRedrives;
    private final Producer<byte[], byte[]> producer;

    public DeadLetterQueue(String bootstrapServers, String topic, List<String> redrivableTopics, int maxRedrives,
                           Producer<byte[], byte[]> producer) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.redrivableTopics = redrivableTopics;
        this.maxRedrives = maxRedrives;
        this.producer = producer;
    }

    /** The newest {@code limit} dead letters, newest first. */
    public List<Entry> list(int limit) {
        List<Entry> entries = new ArrayList<>();
        try (Consumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, READ_TIMEOUT).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_TIMEOUT);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, READ_TIMEOUT);
            for (TopicPartition p : partitions) {
                consumer.seek(p, Math.max(begin.get(p), end.get(p) - limit));
            }
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> entries.add(entry(r)));
            }
        }
        entries.sort(Comparator.comparing((Entry e) -> e.time() == null ? "" : e.time()).reversed());
        return entries.size() > limit ? entries.subList(0, limit) : entries;
    }

    public RedriveResult redrive(List<Position> positions) {
        List<Position> redriven = new ArrayList<>();
        List<Refusal> refused = new ArrayList<>();
        try (Consumer<byte[], byte[]> consumer = consumer()) {
            for (Position position : positions) {
                Optional<ConsumerRecord<byte[], byte[]>> found = read(consumer, position);
                if (found.isEmpty()) {
                    refused.add(new Refusal(position.partition(), position.offset(), "no such record in " + topic));
                    continue;
                }
                ConsumerRecord<byte[], byte[]> record = found.get();
                int count = redriveCount(record.headers());
                String target = originalTopic(record.headers());
                if (count >= maxRedrives) {
                    refused.add(new Refusal(position.partition(), position.offset(), "already re-driven " + count
                            + " times (tideline.dead-letters.max-redrives): fix the producer or the record instead"));
                } else if (target == null || !redrivableTopics.contains(target)) {
                    refused.add(new Refusal(position.partition(), position.offset(), "came from " + target
                            + ", which is not re-drivable (only " + redrivableTopics + ")"));
                } else {
                    send(target, record, count + 1);
                    redriven.add(position);
                }
            }
        }
        return new RedriveResult(redriven, refused);
    }

    private void send(String target, ConsumerRecord<byte[], byte[]> record, int count) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : record.headers()) {
            if (!h.key().startsWith("tideline.dlq.") && !h.key().startsWith(STREAMS_PREFIX)) {
                headers.add(h);
            }
        }
        headers.add(REDRIVE_COUNT, Integer.toString(count).getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(new ProducerRecord<>(target, null, record.key(), record.value(), headers)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while re-driving", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not take the re-driven record: " + e.getMessage(), e);
        }
    }

    private Optional<ConsumerRecord<byte[], byte[]>> read(Consumer<byte[], byte[]> consumer, Position position) {
        TopicPartition tp = new TopicPartition(topic, position.partition());
        consumer.assign(List.of(tp));
        consumer.seek(tp, position.offset());
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.offset() == position.offset()) {
                    return Optional.of(r);
                }
                if (r.offset() > position.offset()) {
                    return Optional.empty(); // compacted away or an aborted transaction's record
                }
            }
            if (consumer.position(tp) > position.offset()) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private Consumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static Entry entry(ConsumerRecord<byte[], byte[]> r) {
        Headers h = r.headers();
        String reason = Optional.ofNullable(text(h, REASON)).orElse(text(h, STREAMS_MESSAGE));
        String exception = Optional.ofNullable(text(h, EXCEPTION)).orElse(text(h, STREAMS_EXCEPTION));
        String partition = Optional.ofNullable(text(h, PARTITION)).orElse(text(h, STREAMS_PARTITION));
        String offset = Optional.ofNullable(text(h, OFFSET)).orElse(text(h, STREAMS_OFFSET));
        String time = Optional.ofNullable(text(h, TIME)).orElse(java.time.Instant.ofEpochMilli(r.timestamp()).toString());
        String utf8 = utf8(r.value());
        return new Entry(r.partition(), r.offset(), r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
                reason, exception, originalTopic(h), partition == null ? null : Integer.valueOf(partition),
                offset == null ? null : Long.valueOf(offset), time, redriveCount(h),
                utf8 != null ? utf8 : Base64.getEncoder().encodeToString(r.value() == null ? new byte[0] : r.value()),
                utf8 != null ? "utf-8" : "base64");
    }

    private static String originalTopic(Headers h) {
        return Optional.ofNullable(text(h, TOPIC)).orElse(text(h, STREAMS_TOPIC));
    }

    private static int redriveCount(Headers h) {
        String count = text(h, REDRIVE_COUNT);
        return count == null ? 0 : Integer.parseInt(count);
    }

    private static String text(Headers headers, String key) {
        Header h = headers.lastHeader(key);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The value as text if it is valid UTF-8, else null (then shown as base64). */
    private static String utf8(byte[] value) {
        if (value == null) {
            return "";
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
