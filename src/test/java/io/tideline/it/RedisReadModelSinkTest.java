package io.tideline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tideline.config.TidelineProperties;
import io.tideline.model.AggregateScope;
import io.tideline.model.Alert;
import io.tideline.model.MetricResult;
import io.tideline.model.WindowAggregate;
import io.tideline.observe.PipelineMetrics;
import io.tideline.schema.registry.InMemorySchemaSource;
import io.tideline.schema.registry.TopicSerdes;
import io.tideline.store.ReadModelHash;
import io.tideline.store.ReadModelKeys;
import io.tideline.store.ReadModelListener;
import io.tideline.store.ReadModelLostException;
import io.tideline.store.RedisReadModelSink;
import io.tideline.store.SinkDeadLetters;
import io.tideline.support.TestConfig;

/**
 * The Redis sink's exactly-once rules on a real Redis, record by record: a partition's updates are applied in runs
 * of one script call each, and every rule the per-record script had must hold inside a run and across runs.
 * Uses its own Redis database, so the read model of the end-to-end tests is not touched.
 */
@ExtendWith(TestServersExtension.class)
class RedisReadModelSinkTest {

    private static final int DATABASE = 7;
    private static final Instant WINDOW = Instant.parse("2026-11-22T10:00:00Z");

    private final TidelineProperties config = TestConfig.properties(Map.of());
    private final TopicSerdes serdes = new TopicSerdes(new InMemorySchemaSource(), config.topics());
    private final List<WindowAggregate> applied = new ArrayList<>();
    private LettuceConnectionFactory connections;
    private StringRedisTemplate redis;
    private KafkaProducer<String, byte[]> deadLetterProducer;
    private RedisReadModelSink sink;

    @BeforeEach
    void start() {
        RedisStandaloneConfiguration server = new RedisStandaloneConfiguration("127.0.0.1", TestServers.current().redisPort());
        server.setDatabase(DATABASE);
        connections = new LettuceConnectionFactory(server);
        connections.afterPropertiesSet();
        connections.start();
        redis = new StringRedisTemplate(connections);
        redis.execute((org.springframework.data.redis.core.RedisCallback<Void>) c -> {
            c.serverCommands().flushDb();
            return null;
        });
        deadLetterProducer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServers.current().kafkaBootstrap()),
                new StringSerializer(), new ByteArraySerializer());
        PipelineMetrics metrics = new PipelineMetrics(new SimpleMeterRegistry());
        ReadModelListener listener = new ReadModelListener() {
            @Override
            public void aggregatesApplied(List<WindowAggregate> aggregates) {
                applied.addAll(aggregates);
            }

            @Override
            public void alertsApplied(List<Alert> alerts) {
            }

            @Override
            public void metricsApplied(List<MetricResult> results) {
            }
        };
        sink = new RedisReadModelSink(redis, config.topics(), 10, listener, serdes,
                new SinkDeadLetters(deadLetterProducer, config.topics().deadLetter(), metrics, Clock.systemUTC()),
                metrics, Clock.systemUTC(), metric -> true);
        sink.storedOffsets(List.of(new TopicPartition(config.topics().aggregates(), 0))); // establishes the epoch
    }

    @AfterEach
    void stop() {
        redis.execute((org.springframework.data.redis.core.RedisCallback<Void>) c -> {
            c.serverCommands().flushDb();
            return null;
        });
        connections.destroy();
        deadLetterProducer.close();
    }

    @Test
    void aRunLongerThanOneCallAppliesEveryUpdateInOffsetOrderAndRecordsTheLastOffset() {
        // Distinct series: the sink keeps only the newest update of a series per batch, and this is about runs.
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        for (int offset = 0; offset < 450; offset++) {
            String key = "acct-" + offset;
            records.add(record(0, offset, key, aggregate(key, WINDOW, offset + 1)));
        }
        sink.write(batch(records));

        assertThat(applied).hasSize(450);
        for (int k : new int[] {0, 199, 200, 399, 400, 449}) {
            assertThat(shown("acct-" + k).getCount()).isEqualTo(k + 1);
        }
        assertThat(appliedOffset(0)).isEqualTo("449");
        assertThat(redis.opsForZSet().size(ReadModelKeys.keysOf("payment"))).isEqualTo(450);
    }

    @Test
    void aReplayedRunChangesNothingAndAnOlderValueArrivingLaterIsSkippedButItsOffsetCounts() {
        List<ConsumerRecord<String, byte[]>> first = List.of(
                record(0, 10, "acct-1", aggregate("acct-1", WINDOW, 5)),
                record(0, 11, "acct-2", aggregate("acct-2", WINDOW, 2)));
        sink.write(batch(first));
        sink.write(batch(first)); // a replay, as after a crash before the consumer moved on
        assertThat(applied).hasSize(2);

        sink.write(batch(List.of(
                record(0, 12, "acct-1", aggregate("acct-1", WINDOW, 4)),                      // smaller count: an aborted transaction's value, re-sent
                record(0, 13, "acct-2", aggregate("acct-2", WINDOW.minusSeconds(60), 9)),     // an older window
                record(0, 14, "acct-3", aggregate("acct-3", WINDOW, 1)))));                   // a new series, same run

        assertThat(applied).extracting(WindowAggregate::getSeriesKey).containsExactly("acct-1", "acct-2", "acct-3");
        assertThat(shown("acct-1").getCount()).isEqualTo(5);
        assertThat(shown("acct-2").getWindowStart()).isEqualTo(WINDOW);
        assertThat(appliedOffset(0)).isEqualTo("14");
    }

    @Test
    void aLateUpdateToAnOlderWindowInTheSameBatchDoesNotHideTheNewerWindow() {
        Instant next = WINDOW.plusSeconds(60);
        sink.write(batch(List.of(
                record(0, 20, "acct-1", aggregate("acct-1", WINDOW, 8)),
                record(0, 21, "acct-1", aggregate("acct-1", next, 1)),      // the first event of the next window
                record(0, 22, "acct-1", aggregate("acct-1", WINDOW, 9)))));  // a late event, within the grace

        assertThat(shown("acct-1").getWindowStart()).isEqualTo(next);
        assertThat(shown("acct-1").getCount()).isEqualTo(1);
        assertThat(appliedOffset(0)).isEqualTo("22");
    }

    @Test
    void theKeysIndexFollowsASeriesIntoItsNextWindowAndHoldsItThroughLaterUpdates() {
        Instant next = WINDOW.plusSeconds(60);
        sink.write(batch(List.of(record(0, 30, "acct-1", aggregate("acct-1", WINDOW, 1)))));
        sink.write(batch(List.of(record(0, 31, "acct-1", aggregate("acct-1", WINDOW, 2)))));
        assertThat(redis.opsForZSet().score(ReadModelKeys.keysOf("payment"), "acct-1")).isEqualTo(WINDOW.toEpochMilli());

        sink.write(batch(List.of(record(0, 32, "acct-1", aggregate("acct-1", next, 1)))));
        sink.write(batch(List.of(record(0, 33, "acct-1", aggregate("acct-1", next, 2)))));
        assertThat(redis.opsForZSet().score(ReadModelKeys.keysOf("payment"), "acct-1")).isEqualTo(next.toEpochMilli());
        assertThat(shown("acct-1").getCount()).isEqualTo(2);
    }

    @Test
    void theHashReadsBackAsTheNewestUpdateWithinAWindowAndIntoTheNextSeriesAndPartsAlike() {
        Instant next = WINDOW.plusSeconds(60);
        WindowAggregate first = measured("acct-1", -1, WINDOW, 1, "2.5", "2.5", "2.5", 1);
        WindowAggregate second = measured("acct-1", -1, WINDOW, 2, "7.5", "2.5", "5", 3);
        WindowAggregate third = measured("acct-1", -1, next, 1, "1", "1", "1", 61);
        WindowAggregate part = measured("", 2, WINDOW, 4, "10", "1", "4", 5);
        WindowAggregate partLater = measured("", 2, WINDOW, 5, "12", "1", "4", 6);
        sink.write(batch(List.of(record(0, 40, "acct-1", first), typeRecord(1, 5, part))));
        sink.write(batch(List.of(record(0, 41, "acct-1", second), typeRecord(1, 6, partLater))));
        assertThat(shown("acct-1")).isEqualTo(second);
        assertThat(ReadModelHash.aggregate(redis.opsForHash().entries(ReadModelKeys.typePart("payment", 2)))).isEqualTo(partLater);

        sink.write(batch(List.of(record(0, 42, "acct-1", third))));
        assertThat(shown("acct-1")).isEqualTo(third);
    }

    @Test
    void eachPartitionOfABatchKeepsItsOwnOffset() {
        sink.write(batch(List.of(
                record(0, 7, "acct-1", aggregate("acct-1", WINDOW, 1)),
                record(3, 100, "acct-9", aggregate("acct-9", WINDOW, 1)),
                record(0, 8, "acct-1", aggregate("acct-1", WINDOW, 2)))));

        assertThat(appliedOffset(0)).isEqualTo("8");
        assertThat(appliedOffset(3)).isEqualTo("100");
        // Offset 99 of partition 3 is behind what that partition applied; offset 9 of partition 0 is not.
        sink.write(batch(List.of(
                record(3, 99, "acct-9", aggregate("acct-9", WINDOW, 7)),
                record(0, 9, "acct-1", aggregate("acct-1", WINDOW, 3)))));
        assertThat(shown("acct-9").getCount()).isEqualTo(1);
        assertThat(shown("acct-1").getCount()).isEqualTo(3);
    }

    @Test
    void aReadModelReplacedUnderTheSinkIsReportedForARebuildAndNothingIsApplied() {
        redis.opsForValue().set(ReadModelKeys.EPOCH, "someone-else");

        assertThatThrownBy(() -> sink.write(batch(List.of(record(0, 1, "acct-1", aggregate("acct-1", WINDOW, 1))))))
                .isInstanceOf(ReadModelLostException.class);
        assertThat(applied).isEmpty();
        assertThat(redis.hasKey(ReadModelKeys.series("payment", "acct-1"))).isFalse();
    }

    private WindowAggregate shown(String key) {
        return ReadModelHash.aggregate(redis.opsForHash().entries(ReadModelKeys.series("payment", key)));
    }

    private String appliedOffset(int partition) {
        return (String) redis.opsForHash().get(ReadModelKeys.offsets(RedisReadModelSink.NAME),
                config.topics().aggregates() + ":" + partition);
    }

    private static WindowAggregate aggregate(String key, Instant windowStart, long count) {
        return WindowAggregate.newBuilder()
                .setScope(AggregateScope.KEY).setEventType("payment").setSeriesKey(key)
                .setWindowStart(windowStart).setWindowEnd(windowStart.plusSeconds(60))
                .setCount(count).setSum(null).setMin(null).setMax(null)
                .setLastEventTime(windowStart.plusSeconds(1))
                .build();
    }

    private static WindowAggregate measured(String key, int part, Instant windowStart, long count, String sum, String min,
                                            String max, long lastSecond) {
        return WindowAggregate.newBuilder()
                .setScope(part < 0 ? AggregateScope.KEY : AggregateScope.TYPE).setEventType("payment").setSeriesKey(key)
                .setPart(part).setWindowStart(windowStart).setWindowEnd(windowStart.plusSeconds(60)).setCount(count)
                .setSum(new java.math.BigDecimal(sum).setScale(6)).setMin(new java.math.BigDecimal(min).setScale(6))
                .setMax(new java.math.BigDecimal(max).setScale(6)).setLastEventTime(WINDOW.plusSeconds(lastSecond))
                .build();
    }

    private ConsumerRecord<String, byte[]> typeRecord(int partition, long offset, WindowAggregate value) {
        String topic = config.topics().aggregates();
        return new ConsumerRecord<>(topic, partition, offset, "TYPE|payment",
                serdes.aggregates().serializer().serialize(topic, value));
    }

    private ConsumerRecord<String, byte[]> record(int partition, long offset, String key, WindowAggregate value) {
        String topic = config.topics().aggregates();
        return new ConsumerRecord<>(topic, partition, offset, "KEY|payment|" + key,
                serdes.aggregates().serializer().serialize(topic, value));
    }

    private static ConsumerRecords<String, byte[]> batch(List<ConsumerRecord<String, byte[]>> records) {
        Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> byPartition = new java.util.LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            byPartition.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), tp -> new ArrayList<>()).add(r);
        }
        return new ConsumerRecords<>(byPartition, Map.of());
    }
}
