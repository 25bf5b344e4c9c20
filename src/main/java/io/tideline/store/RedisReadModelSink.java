package io.tideline.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.micrometer.core.instrument.Timer;
import io.tideline.config.TidelineProperties;
import io.tideline.model.Alert;
import io.tideline.model.WindowAggregate;
import io.tideline.observe.PipelineMetrics;
import io.tideline.process.SeriesKey;
import io.tideline.schema.AvroJsonEncoder;
import io.tideline.schema.AvroSerde;

/**
 * Maintains the low-latency read models in Redis: the latest window of every series and the recent alerts, for
 * the event types of one lane (exactly-once types from committed output, at-least-once types from uncommitted).
 * Each record is applied by a Lua script that also records its offset, so applying and remembering are atomic
 * and a replayed record is a no-op. Scripts of one batch go in one pipeline (one round trip).
 */
public final class RedisReadModelSink implements RecordSink {

    public static final String COMMITTED_LANE = "redis";
    public static final String FAST_LANE = "redis-fast";

    private final StringRedisTemplate redis;
    private final String name;
    private final Predicate<String> eventTypes;
    private final String offsetsKey;
    private final TidelineProperties.Topics topics;
    private final int recentAlerts;
    private final ReadModelListener listener;
    private final Timer latency;
    private final Clock clock;
    private final byte[] applyAggregate = script("redis/apply-aggregate.lua");
    private final byte[] applyAlert = script("redis/apply-alert.lua");
    private final AvroSerde<WindowAggregate> aggregates = AvroSerde.of(WindowAggregate.getClassSchema());
    private final AvroSerde<Alert> alerts = AvroSerde.of(Alert.getClassSchema());
    private final AvroJsonEncoder json = new AvroJsonEncoder();
    private volatile String epoch;

    public RedisReadModelSink(StringRedisTemplate redis, String name, Predicate<String> eventTypes,
                              TidelineProperties.Topics topics, int recentAlerts, ReadModelListener listener,
                              PipelineMetrics metrics, Clock clock) {
        this.redis = redis;
        this.name = name;
        this.eventTypes = eventTypes;
        this.offsetsKey = ReadModelKeys.offsets(name);
        this.topics = topics;
        this.recentAlerts = recentAlerts;
        this.listener = listener;
        this.latency = metrics.latencyTimer(PipelineMetrics.READ_MODEL);
        this.clock = clock;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> sourceTopics() {
        return name.equals(FAST_LANE) ? List.of(topics.aggregates()) : List.of(topics.aggregates(), topics.alerts());
    }

    /**
     * Also (re)establishes the epoch: if Redis has none, it lost (or never had) the read model, so any offsets it
     * still claims are dropped and a new epoch starts the rebuild. Instances sharing the Redis agree through SETNX.
     */
    @Override
    public Map<TopicPartition, Long> storedOffsets(Collection<TopicPartition> partitions) {
        String candidate = UUID.randomUUID().toString();
        if (Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(ReadModelKeys.EPOCH, candidate))) {
            // The read model is gone for every lane: each lane's offsets go too.
            redis.delete(List.of(ReadModelKeys.offsets(COMMITTED_LANE), ReadModelKeys.offsets(FAST_LANE)));
            epoch = candidate;
        } else {
            epoch = redis.opsForValue().get(ReadModelKeys.EPOCH);
        }
        Map<TopicPartition, Long> offsets = new HashMap<>();
        Map<Object, Object> stored = redis.opsForHash().entries(offsetsKey);
        for (TopicPartition tp : partitions) {
            Object applied = stored.get(field(tp.topic(), tp.partition()));
            if (applied != null) {
                offsets.put(tp, Long.parseLong(applied.toString()) + 1);
            }
        }
        return offsets;
    }

    private record Pending<T>(ConsumerRecord<String, byte[]> record, T value) {
    }

    @Override
    public void write(ConsumerRecords<String, byte[]> batch) {
        // Only the newest update of each series matters to a "latest" read model.
        Map<String, Pending<WindowAggregate>> latest = new LinkedHashMap<>();
        List<Pending<Alert>> newAlerts = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : batch) {
            if (record.topic().equals(topics.aggregates())) {
                if (eventTypes.test(SeriesKey.parse(record.key()).eventType())) {
                    latest.put(record.key(), new Pending<>(record, aggregates.fromBytes(record.value())));
                }
            } else if (record.topic().equals(topics.alerts())) {
                Alert alert = alerts.fromBytes(record.value());
                if (eventTypes.test(alert.getEventType())) {
                    newAlerts.add(new Pending<>(record, alert));
                }
            }
        }
        // Within a partition, scripts must run in offset order: each one advances that partition's offset.
        List<Pending<WindowAggregate>> updates = new ArrayList<>(latest.values());
        updates.sort(Comparator.comparing((Pending<WindowAggregate> p) -> p.record().partition())
                .thenComparingLong(p -> p.record().offset()));

        List<Object> results = redis.executePipelined((RedisCallback<Object>) connection -> {
            updates.forEach(p -> evalAggregate(connection, p));
            newAlerts.forEach(p -> evalAlert(connection, p));
            return null;
        });

        if (results.stream().anyMatch(r -> Long.valueOf(-1).equals(r))) {
            throw new ReadModelLostException("the Redis read model changed under the sink (epoch " + epoch
                    + " gone): rebuilding it from the log");
        }
        Instant now = clock.instant();
        List<WindowAggregate> appliedAggregates = new ArrayList<>();
        for (int i = 0; i < updates.size(); i++) {
            if (Long.valueOf(1).equals(results.get(i))) {
                WindowAggregate a = updates.get(i).value();
                appliedAggregates.add(a);
                PipelineMetrics.record(latency, Duration.between(a.getLastEventTime(), now));
            }
        }
        List<Alert> appliedAlerts = new ArrayList<>();
        for (int i = 0; i < newAlerts.size(); i++) {
            if (Long.valueOf(1).equals(results.get(updates.size() + i))) {
                appliedAlerts.add(newAlerts.get(i).value());
            }
        }
        if (!appliedAggregates.isEmpty()) {
            listener.aggregatesApplied(appliedAggregates);
        }
        if (!appliedAlerts.isEmpty()) {
            listener.alertsApplied(appliedAlerts);
        }
    }

    private void evalAggregate(RedisConnection connection, Pending<WindowAggregate> p) {
        WindowAggregate a = p.value();
        String windowStart = Long.toString(a.getWindowStart().toEpochMilli());
        boolean byType = a.getScope() == io.tideline.model.AggregateScope.TYPE;
        List<String> keysAndArgs = new ArrayList<>(List.of(
                ReadModelKeys.series(a.getScope(), a.getEventType(), a.getSeriesKey()),
                offsetsKey,
                byType ? ReadModelKeys.TYPES : ReadModelKeys.keysOf(a.getEventType()),
                ReadModelKeys.EPOCH,
                field(p.record().topic(), p.record().partition()),
                Long.toString(p.record().offset()),
                windowStart,
                byType ? a.getEventType() : a.getSeriesKey(),
                epoch));
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("scope", a.getScope().name());
        fields.put("eventType", a.getEventType());
        fields.put("seriesKey", a.getSeriesKey());
        fields.put("windowStart", windowStart);
        fields.put("windowEnd", Long.toString(a.getWindowEnd().toEpochMilli()));
        fields.put("count", Long.toString(a.getCount()));
        fields.put("sum", plain(a.getSum()));
        fields.put("min", plain(a.getMin()));
        fields.put("max", plain(a.getMax()));
        fields.put("mean", plain(AggregateMean.of(a)));
        fields.put("lastEventTime", Long.toString(a.getLastEventTime().toEpochMilli()));
        fields.forEach((k, v) -> {
            keysAndArgs.add(k);
            keysAndArgs.add(v);
        });
        connection.scriptingCommands().eval(applyAggregate, ReturnType.INTEGER, 4, bytes(keysAndArgs));
    }

    private void evalAlert(RedisConnection connection, Pending<Alert> p) {
        Alert a = p.value();
        connection.scriptingCommands().eval(applyAlert, ReturnType.INTEGER, 4, bytes(List.of(
                ReadModelKeys.RECENT_ALERTS, offsetsKey, ReadModelKeys.ALERT_DATA, ReadModelKeys.EPOCH,
                field(p.record().topic(), p.record().partition()), Long.toString(p.record().offset()),
                Long.toString(a.getEventTime().toEpochMilli()), a.getAlertId(), json.encode(a).toString(),
                Integer.toString(recentAlerts), epoch)));
    }

    private static String plain(BigDecimal value) {
        return value == null ? "" : value.stripTrailingZeros().toPlainString();
    }

    private static String field(String topic, int partition) {
        return topic + ":" + partition;
    }

    private static byte[][] bytes(List<String> values) {
        byte[][] out = new byte[values.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    private static byte[] script(String path) {
        try (var in = new ClassPathResource(path).getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("missing " + path, e);
        }
    }
}
