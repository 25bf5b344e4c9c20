package io.tideline.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tideline.config.TidelineProperties;
import io.tideline.model.AggregateScope;
import io.tideline.model.Alert;
import io.tideline.model.MetricResult;
import io.tideline.model.Severity;
import io.tideline.model.WindowAggregate;
import io.tideline.observe.PipelineMetrics;
import io.tideline.schema.registry.InMemorySchemaSource;
import io.tideline.schema.registry.TopicSerdes;
import io.tideline.store.PostgresSink;
import io.tideline.store.SinkDeadLetters;
import io.tideline.support.TestConfig;

/**
 * The PostgreSQL sink's offsets and held-back window rows on a real PostgreSQL, record by record: window rows wait
 * for the flush interval with their partitions' offsets, what was held is read again from the stored offsets
 * after a crash and comes out the same, and a superseded session never outlives its delete. Uses a database of
 * its own, so the end-to-end tests' history is not touched.
 */
@ExtendWith(TestServersExtension.class)
class PostgresSinkTest {

    private static final String DATABASE = "sink_test";
    private static final Instant WINDOW = Instant.parse("2026-11-22T10:00:00Z");

    private final TidelineProperties config = TestConfig.properties(Map.of());
    private final InMemorySchemaSource schemaSource = new InMemorySchemaSource();
    private final TopicSerdes serdes = new TopicSerdes(schemaSource, config.topics());
    private final MovableClock clock = new MovableClock();
    private final TopicPartition aggregates0 = new TopicPartition(config.topics().aggregates(), 0);
    private final TopicPartition alerts0 = new TopicPartition(config.topics().alerts(), 0);
    private final TopicPartition metrics0 = new TopicPartition(config.topics().metrics(), 0);
    private KafkaProducer<String, byte[]> deadLetterProducer;
    private JdbcTemplate jdbc;
    private TransactionTemplate transactions;

    @BeforeEach
    void start() throws SQLException {
        String admin = TestServers.current().jdbcUrl();
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("drop database if exists " + DATABASE);
            s.execute("create database " + DATABASE);
        }
        String url = admin.replace("/postgres?", "/" + DATABASE + "?");
        Flyway.configure().dataSource(url, "postgres", "").locations("classpath:db/migration").load().migrate();
        DriverManagerDataSource dataSource = new DriverManagerDataSource(url);
        jdbc = new JdbcTemplate(dataSource);
        transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        deadLetterProducer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServers.current().kafkaBootstrap()),
                new StringSerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void stop() {
        deadLetterProducer.close();
    }

    @Test
    void windowRowsWaitForTheFlushIntervalAndTheOffsetOfTheirPartitionWaitsWithThem() {
        PostgresSink sink = sink(Duration.ofSeconds(1));
        sink.write(batch(List.of(
                aggregateRecord(0, 10, "acct-1", 1),
                aggregateRecord(0, 11, "acct-1", 2),
                alertRecord(0, 4, "a-1"))));

        assertThat(jdbc.queryForObject("select count(*) from alerts", Long.class)).as("alerts are not held").isEqualTo(1);
        assertThat(seriesCount("acct-1")).as("held").isNull();
        assertThat(stored(sink)).containsEntry(alerts0, 5L).containsEntry(aggregates0, 10L);
        assertThat(sink.holdsBack()).isTrue();

        clock.advance(Duration.ofMillis(999));
        sink.write(batch(List.of(aggregateRecord(0, 12, "acct-1", 3))));
        assertThat(seriesCount("acct-1")).as("not due yet").isNull();
        assertThat(stored(sink)).containsEntry(aggregates0, 10L);

        clock.advance(Duration.ofMillis(1));
        sink.write(ConsumerRecords.empty()); // what the loop does when a poll returns nothing
        assertThat(seriesCount("acct-1")).isEqualTo(3);
        assertThat(jdbc.queryForObject("select source_offset from window_aggregates where series_key = 'acct-1'", Long.class))
                .isEqualTo(12);
        assertThat(stored(sink)).containsEntry(aggregates0, 13L).containsEntry(alerts0, 5L);
        assertThat(sink.holdsBack()).isFalse();
    }

    @Test
    void whatWasHeldWhenTheSinkDiedIsReadAgainFromTheStoredOffsetAndComesOutTheSame() {
        List<ConsumerRecord<String, byte[]>> log = List.of(
                aggregateRecord(0, 0, "acct-1", 1),
                aggregateRecord(0, 1, "acct-2", 1),
                partRecord(0, 2, 0, 5),
                partRecord(0, 3, 1, 7));
        PostgresSink first = sink(Duration.ofSeconds(1));
        first.write(batch(log.subList(0, 2)));
        clock.advance(Duration.ofSeconds(1));
        first.write(batch(log.subList(2, 3))); // due: acct-1, acct-2 and part 0 written, offset 3
        first.write(batch(List.of(log.get(3), aggregateRecord(0, 4, "acct-1", 2)))); // held when it dies
        assertThat(stored(first)).containsEntry(aggregates0, 3L);

        PostgresSink restarted = sink(Duration.ofSeconds(1));
        long from = stored(restarted).get(aggregates0);
        List<ConsumerRecord<String, byte[]>> again = new ArrayList<>(List.of(log.get(3), aggregateRecord(0, 4, "acct-1", 2)));
        again.removeIf(r -> r.offset() < from);
        restarted.write(batch(again));
        restarted.flush();

        assertThat(seriesCount("acct-1")).isEqualTo(2);
        assertThat(seriesCount("acct-2")).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count from window_aggregates where scope = 'TYPE' and event_type = 'payment'",
                Long.class)).as("the type's row merges both parts").isEqualTo(12);
        assertThat(stored(restarted)).containsEntry(aggregates0, 5L);
    }

    @Test
    void aDiscardedPartitionsHeldRowsAreNotWrittenAndItsOffsetStaysAtTheFirstOfThem() {
        PostgresSink sink = sink(Duration.ofSeconds(1));
        TopicPartition aggregates1 = new TopicPartition(config.topics().aggregates(), 1);
        sink.write(batch(List.of(aggregateRecord(0, 7, "acct-1", 1), aggregateRecord(1, 3, "acct-9", 1))));

        sink.discard(List.of(aggregates1)); // revoked, or about to be read again
        sink.flush();

        assertThat(seriesCount("acct-1")).isEqualTo(1);
        assertThat(seriesCount("acct-9")).as("discarded, read again by whoever owns the partition").isNull();
        assertThat(stored(sink)).containsEntry(aggregates0, 8L).containsEntry(aggregates1, 3L);
    }

    @Test
    void aSessionSupersededInTheSameBatchAsItsLastUpdateIsNotWrittenAfterItsDelete() {
        PostgresSink sink = sink(Duration.ZERO);
        sink.write(batch(List.of(
                metricRecord(0, 0, session(WINDOW.plusSeconds(10), 1, List.of())),
                metricRecord(0, 1, session(WINDOW.plusSeconds(5), 2, List.of(WINDOW.plusSeconds(10)))))));

        assertThat(jdbc.queryForList("select window_start from metric_windows order by window_start", java.sql.Timestamp.class))
                .extracting(java.sql.Timestamp::toInstant).containsExactly(WINDOW.plusSeconds(5));
        assertThat(stored(sink)).containsEntry(metrics0, 2L);
    }

    @Test
    void aSessionSupersededInALaterBatchIsDeletedWhetherItsUpdateWasWrittenOrHeld() {
        PostgresSink sink = sink(Duration.ofSeconds(1));
        sink.write(batch(List.of(metricRecord(0, 0, session(WINDOW.plusSeconds(20), 1, List.of())))));
        clock.advance(Duration.ofSeconds(1));
        sink.write(batch(List.of(metricRecord(0, 1, session(WINDOW.plusSeconds(10), 1, List.of())))));
        assertThat(jdbc.queryForObject("select count(*) from metric_windows", Long.class)).as("due: both written").isEqualTo(2);
        sink.write(batch(List.of(metricRecord(0, 2, session(WINDOW.plusSeconds(15), 1, List.of())))));
        sink.write(batch(List.of(metricRecord(0, 3, session(WINDOW.plusSeconds(5), 4,
                List.of(WINDOW.plusSeconds(10), WINDOW.plusSeconds(15), WINDOW.plusSeconds(20)))))));
        assertThat(jdbc.queryForObject("select count(*) from metric_windows", Long.class)).as("15 s and 5 s held")
                .isEqualTo(2);
        sink.flush();

        assertThat(jdbc.queryForList("select window_start from metric_windows", java.sql.Timestamp.class))
                .extracting(java.sql.Timestamp::toInstant).containsExactly(WINDOW.plusSeconds(5));
    }

    private PostgresSink sink(Duration windowFlushInterval) {
        PipelineMetrics metrics = new PipelineMetrics(new SimpleMeterRegistry());
        return new PostgresSink(jdbc, transactions, config.topics(), schemaSource.payloadSchemas(), serdes,
                new SinkDeadLetters(deadLetterProducer, config.topics().deadLetter(), metrics, clock), metrics, clock,
                metric -> true, "on", windowFlushInterval);
    }

    private Map<TopicPartition, Long> stored(PostgresSink sink) {
        return sink.storedOffsets(List.of(aggregates0, new TopicPartition(config.topics().aggregates(), 1), alerts0, metrics0));
    }

    private Long seriesCount(String key) {
        List<Long> counts = jdbc.queryForList("select count from window_aggregates where scope = 'KEY' and series_key = ?",
                Long.class, key);
        return counts.isEmpty() ? null : counts.get(0);
    }

    private ConsumerRecord<String, byte[]> aggregateRecord(int partition, long offset, String key, long count) {
        WindowAggregate a = WindowAggregate.newBuilder()
                .setScope(AggregateScope.KEY).setEventType("payment").setSeriesKey(key)
                .setWindowStart(WINDOW).setWindowEnd(WINDOW.plusSeconds(60))
                .setCount(count).setSum(null).setMin(null).setMax(null)
                .setLastEventTime(WINDOW.plusSeconds(1))
                .build();
        return record(config.topics().aggregates(), partition, offset, "KEY|payment|" + key,
                serdes.aggregates().serializer().serialize(config.topics().aggregates(), a));
    }

    private ConsumerRecord<String, byte[]> partRecord(int partition, long offset, int part, long count) {
        BigDecimal amount = new BigDecimal("1.000000");
        WindowAggregate a = WindowAggregate.newBuilder()
                .setScope(AggregateScope.TYPE).setEventType("payment").setSeriesKey("").setPart(part)
                .setWindowStart(WINDOW).setWindowEnd(WINDOW.plusSeconds(60))
                .setCount(count).setSum(amount.multiply(BigDecimal.valueOf(count))).setMin(amount).setMax(amount)
                .setLastEventTime(WINDOW.plusSeconds(2))
                .build();
        return record(config.topics().aggregates(), partition, offset, "TYPE|payment",
                serdes.aggregates().serializer().serialize(config.topics().aggregates(), a));
    }

    private ConsumerRecord<String, byte[]> alertRecord(int partition, long offset, String id) {
        Alert alert = Alert.newBuilder().setAlertId(id).setRule("payment-amount-zscore").setSeverity(Severity.WARNING)
                .setEventType("payment").setSeriesKey("acct-1").setEventId("e-1").setEventTime(WINDOW)
                .setObserved(100).setBaselineMean(10).setBaselineStddev(1).setScore(90).setMessage("big").build();
        return record(config.topics().alerts(), partition, offset, "acct-1",
                serdes.alerts().serializer().serialize(config.topics().alerts(), alert));
    }

    private static MetricResult session(Instant start, long count, List<Instant> superseded) {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("count", (double) count);
        return MetricResult.newBuilder().setMetric("visits").setLane("fast").setWindowKind("session").setGroupKey("u-1")
                .setWindowStart(start).setWindowEnd(start.plusSeconds(1)).setFinal$(false).setCount(count)
                .setValues(values).setLastEventTime(start.plusSeconds(1)).setSuperseded(superseded).build();
    }

    private ConsumerRecord<String, byte[]> metricRecord(int partition, long offset, MetricResult result) {
        return record(config.topics().metrics(), partition, offset, "visits|u-1",
                serdes.metrics().serializer().serialize(config.topics().metrics(), result));
    }

    private static ConsumerRecord<String, byte[]> record(String topic, int partition, long offset, String key, byte[] value) {
        return new ConsumerRecord<>(topic, partition, offset, key, value);
    }

    private static ConsumerRecords<String, byte[]> batch(List<ConsumerRecord<String, byte[]>> records) {
        Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> byPartition = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            byPartition.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), tp -> new ArrayList<>()).add(r);
        }
        return new ConsumerRecords<>(byPartition, Map.of());
    }

    /** Wall-clock time the test moves; the sink reads it to decide when held rows are due. */
    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-12-01T12:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
