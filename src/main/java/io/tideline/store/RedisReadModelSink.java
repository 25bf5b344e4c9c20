package io.tideline.store;

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
import org.apache.kafka.common.serialization.Deserializer;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.micrometer.core.instrument.Timer;
import io.tideline.config.TidelineProperties;
import io.tideline.model.AggregateScope;
import io.tideline.model.Alert;
import io.tideline.model.MetricResult;
import io.tideline.model.WindowAggregate;
import io.tideline.observe.PipelineMetrics;
import io.tideline.schema.AvroJsonEncoder;
import io.tideline.schema.registry.TopicSerdes;

/**
 * Maintains the low-latency read models in Redis: the latest window of every series (of every part of a type's
 * series) and the recent alerts. Records are applied by Lua scripts that also record their offsets, so applying
 * and remembering are atomic and a replayed record is a no-op; a partition's aggregate updates go to one script
 * call per run (the epoch and offset checks once per run, not per update). Scripts of one batch go in one pipeline
 * (one round trip).
 * <p>By default the sink reads the process stage's output uncommitted, as soon as it is written, and still
 * applies each event's effect once: docs/design/exactly-once.md, "The read model reads uncommitted output".
 */
public final class RedisReadModelSink implements RecordSink {

    public static final String NAME = "redis";

    private final StringRedisTemplate redis;
    private final String offsetsKey;
    private final TidelineProperties.Topics topics;
    private final int recentAlerts;
    private final ReadModelListener listener;
    private final Timer latency;
    private final Clock clock;
    private final SinkDeadLetters deadLetters;
    /**
     * Updates per script call: a call runs atomically, so Redis answers nobody else meanwhile; a few hundred
     * updates keep that to about a millisecond.
     */
    private static final int MAX_UPDATES_PER_CALL = 200;

    private final LuaScript applyAggregates = new LuaScript("redis/apply-aggregates.lua");
    private final LuaScript applyAlert = new LuaScript("redis/apply-alert.lua");
    private final LuaScript applyMetric = new LuaScript("redis/apply-metric.lua");
    /** Whether this Redis has the scripts, as far as the sink knows; cleared by any failed write. */
    private boolean scriptsLoaded;
    private final Deserializer<MetricResult> metricResults;
    private final Predicate<String> metricsShown;
    private final Deserializer<WindowAggregate> aggregates;
    private final Deserializer<Alert> alerts;
    private final AvroJsonEncoder json = new AvroJsonEncoder();
    private volatile String epoch;

    public RedisReadModelSink(StringRedisTemplate redis, TidelineProperties.Topics topics, int recentAlerts,
                              ReadModelListener listener, TopicSerdes topicSerdes, SinkDeadLetters deadLetters,
                              PipelineMetrics metrics, Clock clock, Predicate<String> metricsShown) {
        this.redis = redis;
        this.metricResults = topicSerdes.metrics().deserializer();
        this.metricsShown = metricsShown;
        this.aggregates = topicSerdes.aggregates().deserializer();
        this.alerts = topicSerdes.alerts().deserializer();
        this.deadLetters = deadLetters;
        this.offsetsKey = ReadModelKeys.offsets(NAME);
        this.topics = topics;
        this.recentAlerts = recentAlerts;
        this.listener = listener;
        this.latency = metrics.latencyTimer(PipelineMetrics.READ_MODEL);
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> sourceTopics() {
        return List.of(topics.aggregates(), topics.alerts(), topics.metrics());
    }

    /**
     * Also (re)establishes the epoch: if Redis has none, it lost (or never had) the read model, so any offsets it
     * still claims are dropped and a new epoch starts the rebuild. Instances sharing the Redis agree through SETNX.
     */
    @Override
    public Map<TopicPartition, Long> storedOffsets(Collection<TopicPartition> partitions) {
        String candidate = UUID.randomUUID().toString();
        if (Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(ReadModelKeys.EPOCH, candidate))) {
            // The read model is gone: offsets claiming otherwise go too.
            redis.delete(offsetsKey);
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
        // Only the newest update of each series' (or part's) window matters to a "latest" read model. Per window,
        // not per series: a late event's update to an older window, after the first of a newer one, must not make
        // the batch's newer window vanish (the script skips the older one).
        Map<String, Pending<WindowAggregate>> latest = new LinkedHashMap<>();
        List<Pending<Alert>> newAlerts = new ArrayList<>();
        Map<String, Pending<MetricResult>> latestMetrics = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : batch) {
            if (record.topic().equals(topics.aggregates())) {
                WindowAggregate a = deadLetters.decode(NAME, record, aggregates);
                if (a != null) {
                    latest.put(record.key() + '#' + a.getPart() + '@' + a.getWindowStart().toEpochMilli(), new Pending<>(record, a));
                }
            } else if (record.topic().equals(topics.alerts())) {
                Alert alert = deadLetters.decode(NAME, record, alerts);
                if (alert != null) {
                    newAlerts.add(new Pending<>(record, alert));
                }
            } else if (record.topic().equals(topics.metrics())) {
                MetricResult m = deadLetters.decode(NAME, record, metricResults);
                if (m != null && metricsShown.test(m.getMetric())) {
                    latestMetrics.put(record.key() + '@' + m.getWindowStart().toEpochMilli(), new Pending<>(record, m));
                }
            }
        }
        // Within a partition, scripts must run in offset order: each one advances that partition's offset.
        List<Pending<WindowAggregate>> updates = new ArrayList<>(latest.values());
        updates.sort(Comparator.comparing((Pending<WindowAggregate> p) -> p.record().partition())
                .thenComparingLong(p -> p.record().offset()));
        List<Pending<MetricResult>> metricUpdates = new ArrayList<>(latestMetrics.values());
        metricUpdates.sort(Comparator.comparing((Pending<MetricResult> p) -> p.record().partition())
                .thenComparingLong(p -> p.record().offset()));

        if (!scriptsLoaded) {
            redis.execute((RedisCallback<Void>) connection -> {
                for (LuaScript script : List.of(applyAggregates, applyAlert, applyMetric)) {
                    script.load(connection);
                }
                return null;
            });
            scriptsLoaded = true;
        }
        List<List<Pending<WindowAggregate>>> runs = runsOfOnePartition(updates);
        List<Object> results;
        try {
            results = redis.executePipelined((RedisCallback<Object>) connection -> {
                runs.forEach(run -> evalAggregates(connection, run));
                newAlerts.forEach(p -> evalAlert(connection, p));
                metricUpdates.forEach(p -> evalMetric(connection, p));
                return null;
            });
        } catch (RuntimeException e) {
            scriptsLoaded = false; // a Redis that restarted has lost them (NOSCRIPT); the retry loads them again
            throw e;
        }

        if (results.stream().anyMatch(r -> Long.valueOf(-1).equals(r) || List.of(-1L).equals(r))) {
            throw new ReadModelLostException("the Redis read model changed under the sink (epoch " + epoch
                    + " gone): rebuilding it from the log");
        }
        Instant now = clock.instant();
        List<WindowAggregate> appliedAggregates = new ArrayList<>();
        for (int r = 0; r < runs.size(); r++) {
            List<?> applied = (List<?>) results.get(r);
            for (int i = 0; i < runs.get(r).size(); i++) {
                if (Long.valueOf(1).equals(applied.get(i))) {
                    WindowAggregate a = runs.get(r).get(i).value();
                    appliedAggregates.add(a);
                    PipelineMetrics.record(latency, Duration.between(a.getLastEventTime(), now));
                }
            }
        }
        List<Alert> appliedAlerts = new ArrayList<>();
        for (int i = 0; i < newAlerts.size(); i++) {
            if (Long.valueOf(1).equals(results.get(runs.size() + i))) {
                appliedAlerts.add(newAlerts.get(i).value());
            }
        }
        List<MetricResult> appliedMetrics = new ArrayList<>();
        int offset = runs.size() + newAlerts.size();
        for (int i = 0; i < metricUpdates.size(); i++) {
            if (Long.valueOf(1).equals(results.get(offset + i))) {
                appliedMetrics.add(metricUpdates.get(i).value());
            }
        }
        if (!appliedAggregates.isEmpty()) {
            listener.aggregatesApplied(appliedAggregates);
        }
        if (!appliedMetrics.isEmpty()) {
            listener.metricsApplied(appliedMetrics);
        }
        if (!appliedAlerts.isEmpty()) {
            listener.alertsApplied(appliedAlerts);
        }
    }

    /** Consecutive updates of one partition (they come sorted by partition and offset), at most a call's worth each. */
    private static List<List<Pending<WindowAggregate>>> runsOfOnePartition(List<Pending<WindowAggregate>> updates) {
        List<List<Pending<WindowAggregate>>> runs = new ArrayList<>();
        List<Pending<WindowAggregate>> run = null;
        for (Pending<WindowAggregate> p : updates) {
            if (run == null || run.size() == MAX_UPDATES_PER_CALL
                    || run.get(0).record().partition() != p.record().partition()) {
                run = new ArrayList<>();
                runs.add(run);
            }
            run.add(p);
        }
        return runs;
    }

    private void evalAggregates(RedisConnection connection, List<Pending<WindowAggregate>> run) {
        ConsumerRecord<String, byte[]> first = run.get(0).record();
        List<String> keys = new ArrayList<>(2 + 3 * run.size());
        List<String> args = new ArrayList<>(2 + 20 * run.size());
        keys.add(offsetsKey);
        keys.add(ReadModelKeys.EPOCH);
        args.add(epoch);
        args.add(field(first.topic(), first.partition()));
        for (Pending<WindowAggregate> p : run) {
            WindowAggregate a = p.value();
            boolean byType = a.getScope() == AggregateScope.TYPE;
            if (byType) {
                keys.add(ReadModelKeys.typePart(a.getEventType(), a.getPart()));
                keys.add(ReadModelKeys.partsOf(a.getEventType()));
                keys.add(ReadModelKeys.TYPES);
            } else {
                String index = ReadModelKeys.keysOf(a.getEventType());
                keys.add(ReadModelKeys.series(a.getEventType(), a.getSeriesKey()));
                keys.add(index);
                keys.add(index);
            }
            Map<String, String> fields = ReadModelHash.fields(a);
            args.add(Long.toString(p.record().offset()));
            args.add(Long.toString(a.getWindowStart().toEpochMilli()));
            args.add(byType ? Integer.toString(a.getPart()) : a.getSeriesKey());
            args.add(byType ? a.getEventType() : "");
            args.add(Long.toString(a.getCount()));
            args.add(Integer.toString(fields.size()));
            fields.forEach((k, v) -> {
                args.add(k);
                args.add(v);
            });
        }
        List<String> keysAndArgs = new ArrayList<>(keys);
        keysAndArgs.addAll(args);
        applyAggregates.callForList(connection, keys.size(), bytes(keysAndArgs));
    }

    private void evalMetric(RedisConnection connection, Pending<MetricResult> p) {
        MetricResult m = p.value();
        String windowEnd = Long.toString(m.getWindowEnd().toEpochMilli());
        List<String> keys = List.of(ReadModelKeys.metric(m.getMetric(), m.getGroupKey()), offsetsKey,
                ReadModelKeys.metricKeys(m.getMetric()), ReadModelKeys.EPOCH);
        List<String> keysAndArgs = new ArrayList<>(keys);
        keysAndArgs.addAll(List.of(field(p.record().topic(), p.record().partition()), Long.toString(p.record().offset()),
                windowEnd, m.getGroupKey(), epoch, Long.toString(m.getCount())));
        MetricReadModel.fields(m).forEach((k, v) -> {
            keysAndArgs.add(k);
            keysAndArgs.add(v);
        });
        applyMetric.call(connection, keys.size(), bytes(keysAndArgs));
    }

    private void evalAlert(RedisConnection connection, Pending<Alert> p) {
        Alert a = p.value();
        applyAlert.call(connection, 4, bytes(List.of(
                ReadModelKeys.RECENT_ALERTS, offsetsKey, ReadModelKeys.ALERT_DATA, ReadModelKeys.EPOCH,
                field(p.record().topic(), p.record().partition()), Long.toString(p.record().offset()),
                Long.toString(a.getEventTime().toEpochMilli()), a.getAlertId(), json.encode(a).toString(),
                Integer.toString(recentAlerts), epoch)));
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
}
