package io.tideline.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import io.tideline.store.ReadModelKeys;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The places where the benchmark sees an event arrive: Kafka output, the Redis read model, the dashboard push. */
final class Observers {

    private Observers() {
    }

    /** Processed output in Kafka: each event on the canonical events topic, read as the stores read it (committed). */
    static Thread eventsTopic(String bootstrap, String topic, LatencyRecorder recorder, AtomicBoolean running) {
        return start("bench-kafka-observer", () -> {
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                while (running.get()) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        // The record's timestamp is the event's time (the normalizer sets it, for the windows), the
                        // load's intended send time: no need to decode the envelope (a third of this thread's CPU).
                        recorder.record(r.timestamp(), LatencyRecorder.nowMicros());
                    }
                }
            }
        });
    }

    /**
     * Visible in the Redis read model: Redis tells us (keyspace notifications) when a per-key hash changes; its
     * lastEventTime says up to which event the series is reflected. The hashes changed since the last look are
     * read in one pipeline, and every event they reflect counts as observed when the reply arrives — never earlier
     * than it was visible. One read per notification, at 5,000 events/s, was a quarter of the bench's CPU and as
     * many requests to the Redis being measured.
     */
    static Thread readModel(int redisPort, LatencyRecorder recorder, AtomicBoolean running) {
        try (Jedis admin = new Jedis("127.0.0.1", redisPort)) {
            admin.configSet("notify-keyspace-events", "Kh");
        }
        String prefix = ReadModelKeys.PREFIX + "agg:key:";
        BlockingQueue<String> changed = new LinkedBlockingQueue<>();
        JedisPubSub subscriber = new JedisPubSub() {
            @Override
            public void onPMessage(String pattern, String channel, String message) {
                changed.add(channel.substring(channel.indexOf(':', "__keyspace@".length()) + 1));
                if (!running.get()) {
                    punsubscribe();
                }
            }
        };
        start("bench-redis-reader", () -> {
            try (Jedis reader = new Jedis("127.0.0.1", redisPort)) {
                Set<String> keys = new LinkedHashSet<>();
                while (running.get()) {
                    String first = changed.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    keys.add(first);
                    String more;
                    while ((more = changed.poll()) != null) {
                        keys.add(more);
                    }
                    Pipeline pipeline = reader.pipelined();
                    List<Response<String>> newest = new ArrayList<>(keys.size());
                    for (String key : keys) {
                        newest.add(pipeline.hget(key, "lastEventTime"));
                    }
                    pipeline.sync();
                    long observed = LatencyRecorder.nowMicros();
                    int i = 0;
                    for (String key : keys) {
                        String time = newest.get(i++).get();
                        if (time != null) {
                            String typeAndKey = key.substring(prefix.length());
                            int colon = typeAndKey.indexOf(':');
                            recorder.seriesVisible(typeAndKey.substring(0, colon) + "|" + typeAndKey.substring(colon + 1),
                                    Long.parseLong(time), observed);
                        }
                    }
                    keys.clear();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                if (running.get()) {
                    System.err.println("read-model reader stopped: " + e);
                }
            }
        });
        return start("bench-redis-observer", () -> {
            try (Jedis jedis = new Jedis("127.0.0.1", redisPort)) {
                jedis.psubscribe(subscriber, "__keyspace@0__:" + prefix + "*");
            } catch (RuntimeException e) {
                if (running.get()) {
                    System.err.println("read-model observer stopped: " + e);
                }
            }
        });
    }

    /** Pushed to a dashboard client: the same SSE stream a browser reads. */
    static Thread push(String baseUrl, LatencyRecorder recorder, AtomicBoolean running) {
        JsonMapper json = JsonMapper.builder().build();
        return start("bench-push-observer", () -> {
            HttpClient http = HttpClient.newHttpClient();
            try {
                HttpResponse<java.util.stream.Stream<String>> response = http.send(HttpRequest.newBuilder(
                        URI.create(baseUrl + "/v1/stream")).build(), HttpResponse.BodyHandlers.ofLines());
                // Closed when the run ends: a connection left open and unread would pile up at the server.
                try (java.util.stream.Stream<String> body = response.body()) {
                    String event = null;
                    var lines = body.iterator();
                    while (running.get() && lines.hasNext()) {
                        String line = lines.next();
                        if (line.startsWith("event:")) {
                            event = line.substring(6).trim();
                        } else if (line.startsWith("data:") && "aggregates".equals(event)) {
                            long observed = LatencyRecorder.nowMicros();
                            for (JsonNode a : json.readTree(line.substring(5))) {
                                if ("KEY".equals(a.get("scope").asString())) {
                                    recorder.seriesVisible(a.get("eventType").asString() + "|" + a.get("seriesKey").asString(),
                                            java.time.Instant.parse(a.get("lastEventTime").asString()).toEpochMilli(), observed);
                                }
                            }
                        }
                    }
                }
            } catch (Exception e) {
                if (running.get()) {
                    System.err.println("push observer stopped: " + e);
                }
            }
        });
    }

    private static Thread start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
