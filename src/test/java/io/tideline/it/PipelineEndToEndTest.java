package io.tideline.it;

import static io.tideline.support.CloudEvents.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;

import io.tideline.config.TidelineProperties;
import io.tideline.process.DeadLetterHeaders;
import io.tideline.store.ReadModelKeys;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Events travel the whole pipeline on real parts: HTTP or a Kafka client → Kafka → Kafka Streams (exactly-once) →
 * PostgreSQL and Redis → REST. Each test uses its own keys so that tests do not see each other's events.
 */
@EndToEndTest
class PipelineEndToEndTest extends EndToEndSupport {

    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TidelineProperties config;

    @Autowired
    StringRedisTemplate redis;

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void postedEventsAreStoredOnceAndAggregatedExactlyInPostgresAndRedis() throws Exception {
        String account = unique("acct");
        Instant time = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<String> amounts = List.of("10.50", "20.25", "5.00", "99.99", "0.01");
        List<ObjectNode> events = new ArrayList<>();
        for (int i = 0; i < amounts.size(); i++) {
            events.add(payment(account + "-e" + i, account, amounts.get(i), time));
        }
        HttpResponse<String> batch = post("application/cloudevents-batch+json", events.toString());
        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(202);
        assertThat(JSON.readTree(batch.body()).get("accepted").asInt()).isEqualTo(5);
        // a client retry of one event, sent again on its own: must count once
        assertThat(post("application/cloudevents+json", events.get(1).toString()).statusCode()).isEqualTo(202);

        BigDecimal sum = amounts.stream().map(BigDecimal::new).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal mean = sum.divide(BigDecimal.valueOf(amounts.size()), 6, RoundingMode.HALF_EVEN);

        await().atMost(DEADLINE).untilAsserted(() -> {
            JsonNode history = getJson("/v1/aggregates?type=payment&key=" + account);
            assertThat(history).hasSize(1);
            assertAggregate(history.get(0), amounts.size(), sum, "0.01", "99.99", mean);
        });
        await().atMost(DEADLINE).untilAsserted(() ->
                assertAggregate(getJson("/v1/aggregates/latest?type=payment&key=" + account), amounts.size(), sum, "0.01", "99.99", mean));
        assertThat(getJson("/v1/aggregates/latest?type=payment&key=" + account).get("guarantee").asString()).isEqualTo("exactly-once");

        assertThat(jdbc.queryForObject("select count(*) from events where partition_key = ?", Long.class, account)).isEqualTo(5);
        assertThat(jdbc.queryForObject("select count(distinct event_id) from events where partition_key = ?", Long.class, account)).isEqualTo(5);
        assertThat(jdbc.queryForObject("select (data->>'amount')::numeric from events where event_id = ?", BigDecimal.class,
                account + "-e0")).isEqualByComparingTo("10.50");
        assertThat(prometheus()).containsPattern("tideline_stage_records_total\\{[^}]*outcome=\"duplicate\",stage=\"dedupe\"[^}]*} [1-9]");
    }

    /** Every index on the history tables is a btree insert per event: only those a query reads belong there. */
    @Test
    void theHistoryTablesCarryOnlyTheIndexesTheirQueriesRead() {
        assertThat(jdbc.queryForList("select indexname from pg_indexes where tablename = 'events' order by indexname", String.class))
                .containsExactly("events_pkey", "events_type_time");
        assertThat(jdbc.queryForList("select indexname from pg_indexes where tablename = 'window_aggregates'", String.class))
                .containsExactly("window_aggregates_pkey");
        // On a table this small the planner may rightly prefer a scan; whether the index serves the query is the question.
        List<String> plan = jdbc.execute((java.sql.Connection c) -> {
            try (java.sql.Statement s = c.createStatement()) {
                s.execute("set enable_seqscan = off");
                try (java.sql.ResultSet rs = s.executeQuery("explain select event_id from events where event_type = 'payment' "
                        + "and event_time >= now() - interval '1 minute' and event_time < now()")) {
                    List<String> lines = new ArrayList<>();
                    while (rs.next()) {
                        lines.add(rs.getString(1));
                    }
                    return lines;
                } finally {
                    s.execute("reset enable_seqscan"); // the connection goes back to the pool
                }
            }
        });
        assertThat(plan).anyMatch(line -> line.contains("events_type_time"));
    }

    @Test
    void perTypeAggregateEqualsWhatTheStoredEventsAddUpTo() throws Exception {
        String name = unique("metric");
        Instant time = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<ObjectNode> events = new ArrayList<>();
        for (int i = 0; i < 8; i++) { // eight keys: spread over partitions, so the type's figure merges parts
            events.add(metric(name + "-" + i, name + "-" + i, 1.5 * (i + 1), time));
        }
        assertThat(post("application/cloudevents-batch+json", events.toString()).statusCode()).isEqualTo(202);
        Instant windowStart = Instant.ofEpochMilli(time.toEpochMilli() - time.toEpochMilli() % 60_000);

        await().atMost(DEADLINE).untilAsserted(() -> {
            Map<String, Object> truth = jdbc.queryForMap("""
                    select count(*) as count, sum((data->>'value')::numeric) as sum from events
                    where event_type = 'metric-sample' and event_time >= ? and event_time < ?""",
                    java.sql.Timestamp.from(windowStart), java.sql.Timestamp.from(windowStart.plusSeconds(60)));
            assertThat((Long) truth.get("count")).isGreaterThanOrEqualTo(8);
            JsonNode stored = getJson("/v1/aggregates?type=metric-sample&from=" + windowStart + "&to=" + windowStart.plusSeconds(1));
            assertThat(stored).hasSize(1);
            assertThat(stored.get(0).get("count").asLong()).isEqualTo((Long) truth.get("count"));
            assertThat(stored.get(0).get("sum").decimalValue()).isEqualByComparingTo((BigDecimal) truth.get("sum"));
            JsonNode latest = getJson("/v1/aggregates/latest?type=metric-sample");
            assertThat(latest.get("guarantee").asString()).isEqualTo("at-least-once");
            assertThat(stored.get(0).get("guarantee").asString()).isEqualTo("at-least-once");
            assertThat(latest.get("windowStart").asString()).isEqualTo(windowStart.toString());
            assertThat(latest.get("count").asLong()).isEqualTo((Long) truth.get("count"));
        });
    }

    @Test
    void anOutlierPaymentRaisesExactlyOneAlertInBothStores() throws Exception {
        String account = unique("acct");
        Instant start = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.MILLIS);
        List<ObjectNode> usual = new ArrayList<>();
        String[] amounts = {"95", "102", "99", "101", "98", "104", "97", "100", "103", "96", "100", "99"};
        for (int i = 0; i < amounts.length; i++) {
            usual.add(payment(account + "-n" + i, account, amounts[i], start.plusSeconds(i)));
        }
        assertThat(post("application/cloudevents-batch+json", usual.toString()).statusCode()).isEqualTo(202);
        String fraudId = account + "-fraud";
        assertThat(post("application/cloudevents+json", payment(fraudId, account, "7500", start.plusSeconds(20)).toString())
                .statusCode()).isEqualTo(202);

        await().atMost(DEADLINE).untilAsserted(() ->
                assertThat(jdbc.queryForObject("select count(*) from alerts where series_key = ?", Long.class, account)).isEqualTo(1));
        // a later, normal payment: once it is stored, everything before it in its partition has been processed
        String sentinel = account + "-sentinel";
        assertThat(post("application/cloudevents+json", payment(sentinel, account, "101", start.plusSeconds(21)).toString())
                .statusCode()).isEqualTo(202);
        await().atMost(DEADLINE).until(() -> jdbc.queryForObject("select count(*) from events where event_id = ?", Long.class, sentinel) == 1);

        assertThat(jdbc.queryForList("select event_id from alerts where series_key = ?", String.class, account)).containsExactly(fraudId);
        await().atMost(DEADLINE).untilAsserted(() -> {
            List<JsonNode> recent = new ArrayList<>();
            getJson("/v1/alerts/recent?limit=1000").forEach(recent::add);
            assertThat(recent).filteredOn(a -> a.get("seriesKey").asString().equals(account))
                    .extracting(a -> a.get("eventId").asString()).containsExactly(fraudId);
        });
    }

    @Test
    void aMalformedEventGets400AndNothingReachesKafka() throws Exception {
        String badId = unique("bad");
        ObjectNode bad = payment(badId, "acct-x", "1", Instant.now());
        ((ObjectNode) bad.get("data")).put("amount", "one euro");
        HttpResponse<String> response = post("application/cloudevents+json", bad.toString());
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("rejected").get(0).get("id").asString()).isEqualTo(badId);
        assertThat(problem.get("rejected").get(0).get("errors").get(0).get("field").asString()).isEqualTo("data.amount");

        // a valid marker sent afterwards proves the scan below reads what was written
        String markerId = unique("marker");
        assertThat(post("application/cloudevents+json", payment(markerId, "acct-x", "1", Instant.now()).toString()).statusCode()).isEqualTo(202);
        List<String> ids = ingestTopicIds();
        assertThat(ids).contains(markerId).doesNotContain(badId);
    }

    @Test
    void kafkaClientsMayProduceStructuredOrBinaryEventsAndPoisonIsDeadLettered() throws Exception {
        String account = unique("acct");
        ObjectNode structured = payment(account + "-s", account, "1.25", Instant.now());
        ObjectNode binary = payment(account + "-b", account, "2.75", Instant.now());
        byte[] poison = {0x00, (byte) 0xFF, 0x13, 0x37};
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServers.current().kafkaBootstrap()), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(config.topics().ingest(), null, account, utf8(structured.toString()), structuredHeaders()));
            producer.send(new ProducerRecord<>(config.topics().ingest(), null, account, binaryValue(binary), binaryHeaders(binary)));
            producer.send(new ProducerRecord<>(config.topics().ingest(), null, account + "-poison", poison, structuredHeaders())).get();
        }
        await().atMost(DEADLINE).untilAsserted(() -> {
            assertThat(jdbc.queryForList("select event_id from events where partition_key = ? order by event_id", String.class, account))
                    .containsExactly(account + "-b", account + "-s");
            assertThat(getJson("/v1/aggregates/latest?type=payment&key=" + account).get("sum").decimalValue()).isEqualByComparingTo("4.00");
        });
        ConsumerRecord<byte[], byte[]> dead = await().atMost(DEADLINE).until(() -> deadLetterFor(account + "-poison"), r -> r != null);
        assertThat(dead.value()).isEqualTo(poison);
        assertThat(header(dead.headers(), DeadLetterHeaders.REASON)).contains("not valid JSON");
        assertThat(header(dead.headers(), DeadLetterHeaders.TOPIC)).isEqualTo(config.topics().ingest());
        assertThat(header(dead.headers(), DeadLetterHeaders.OFFSET)).matches("\\d+");
    }

    @Test
    void redisLostWhileDownIsRebuiltExactlyFromTheLog() throws Exception {
        String before = unique("acct");
        String during = unique("acct");
        Instant time = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        assertThat(post("application/cloudevents+json", payment(before + "-1", before, "12.34", time).toString()).statusCode()).isEqualTo(202);
        await().atMost(DEADLINE).until(() -> get("/v1/aggregates/latest?type=payment&key=" + before).statusCode() == 200);

        TestServers.current().stopRedis();
        try {
            // Event time now, not the test's start: this class can begin with the previous class's Streams member still
            // in the group (45 s of rebalancing), and events that old would rightly be too late for their window.
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            List<ObjectNode> batch = List.of(payment(during + "-1", during, "1.50", now), payment(during + "-2", during, "2.25", now));
            assertThat(post("application/cloudevents-batch+json", batch.toString()).statusCode()).isEqualTo(202);
            await().atMost(DEADLINE).untilAsserted(() -> assertThat(get("/actuator/health").body())
                    .contains("\"redis\":\"retrying"));
            // PostgreSQL is unaffected and keeps up while Redis is down
            await().atMost(DEADLINE).until(() -> jdbc.queryForObject("select count(*) from events where partition_key = ?", Long.class, during) == 2);
        } finally {
            TestServers.current().startRedis(); // empty: everything it held is gone
        }

        try {
            await().atMost(DEADLINE).untilAsserted(() -> {
                JsonNode rebuilt = getJson("/v1/aggregates/latest?type=payment&key=" + before);
                assertThat(rebuilt.get("count").asLong()).isEqualTo(1);
                assertThat(rebuilt.get("sum").decimalValue()).isEqualByComparingTo("12.34");
                JsonNode caughtUp = getJson("/v1/aggregates/latest?type=payment&key=" + during);
                assertThat(caughtUp.get("count").asLong()).isEqualTo(2);
                assertThat(caughtUp.get("sum").decimalValue()).isEqualByComparingTo("3.75");
            });
        } catch (ConditionTimeoutException e) {
            // This test has failed intermittently in full runs, never alone: say where the aggregates are.
            throw new AssertionError(e.getMessage() + "\n" + aggregateTrail(before) + aggregateTrail(during)
                    + "redis offsets " + redis.opsForHash().entries(ReadModelKeys.offsets("redis"))
                    + ", epoch " + redis.opsForValue().get(ReadModelKeys.EPOCH), e);
        }
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(JSON.readTree(get("/actuator/health").body()).get("status").asString()).isEqualTo("UP"));
    }

    @Test
    void deadLettersAreListedWithTheirReasonAndReDrivenAtMostTheConfiguredNumberOfTimes() throws Exception {
        String key = unique("dlq");
        ObjectNode invalid = payment(key + "-1", key, "1", Instant.now());
        ((ObjectNode) invalid.get("data")).remove("merchant");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServers.current().kafkaBootstrap()), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(config.topics().ingest(), null, key, binaryValue(invalid), binaryHeaders(invalid))).get();
        }
        int maxRedrives = config.deadLetters().maxRedrives();
        for (int round = 0; round <= maxRedrives; round++) {
            int expectedCount = round;
            JsonNode entry = await().atMost(DEADLINE).until(() -> dlqEntry(key, expectedCount), e -> e != null);
            assertThat(entry.get("reason").asString()).contains("data.merchant").contains("is required");
            assertThat(entry.get("originalTopic").asString()).isEqualTo(config.topics().ingest());
            assertThat(entry.get("value").asString()).isEqualTo(invalid.get("data").toString());
            String body = "{\"records\":[{\"partition\":" + entry.get("partition").asInt() + ",\"offset\":" + entry.get("offset").asLong() + "}]}";
            HttpResponse<String> redrive = postJson("/v1/dlq/redrive", body);
            if (round < maxRedrives) {
                assertThat(redrive.statusCode()).as(redrive.body()).isEqualTo(200);
                assertThat(JSON.readTree(redrive.body()).get("redriven")).hasSize(1);
            } else {
                assertThat(redrive.statusCode()).isEqualTo(409);
                assertThat(JSON.readTree(redrive.body()).get("refused").get(0).get("reason").asString())
                        .contains("already re-driven " + maxRedrives + " times");
            }
        }
        assertThat(jdbc.queryForObject("select count(*) from events where partition_key = ?", Long.class, key)).isZero();
    }

    /** The dead letter with this key that has been re-driven exactly {@code count} times, if listed yet. */
    private JsonNode dlqEntry(String key, int count) throws Exception {
        for (JsonNode e : getJson("/v1/dlq?limit=1000")) {
            if (key.equals(e.get("key").asString()) && e.get("redriveCount").asInt() == count) {
                return e;
            }
        }
        return null;
    }

    private static void assertAggregate(JsonNode a, long count, BigDecimal sum, String min, String max, BigDecimal mean) {
        assertThat(a.get("count").asLong()).isEqualTo(count);
        assertThat(a.get("sum").decimalValue()).isEqualByComparingTo(sum);
        assertThat(a.get("min").decimalValue()).isEqualByComparingTo(min);
        assertThat(a.get("max").decimalValue()).isEqualByComparingTo(max);
        assertThat(a.get("mean").decimalValue()).isEqualByComparingTo(mean);
    }

    private String prometheus() throws Exception {
        return get("/actuator/prometheus").body();
    }

    /** Every ce_id on the ingest topic, read from the beginning up to the end offsets as of now. */
    private List<String> ingestTopicIds() {
        List<String> ids = new ArrayList<>();
        readToEnd(config.topics().ingest(), r -> {
            ids.add(header(r.headers(), "ce_id"));
            return false;
        });
        return ids;
    }

    @Test
    void aRecordTheSinksCannotReadIsDeadLetteredByEachAndTheSeriesGoesOn() throws Exception {
        String account = unique("acct");
        String series = "KEY|payment|" + account; // the partition the account's aggregates go to
        byte[] garbled = {0x02, 0x7F, 0x7F, 0x7F};
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServers.current().kafkaBootstrap()), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(config.topics().aggregates(), series, garbled)).get();
        }
        assertThat(post("application/cloudevents+json", payment(account + "-1", account, "3.50", Instant.now()).toString())
                .statusCode()).isEqualTo(202);

        await().atMost(DEADLINE).untilAsserted(() -> {
            assertThat(getJson("/v1/aggregates/latest?type=payment&key=" + account).get("sum").decimalValue()).isEqualByComparingTo("3.50");
            assertThat(getJson("/v1/aggregates?type=payment&key=" + account)).hasSize(1);
        });
        List<ConsumerRecord<byte[], byte[]>> dead = await().atMost(DEADLINE).until(() -> deadLettersFor(series), l -> l.size() >= 2);
        assertThat(dead).extracting(r -> header(r.headers(), io.tideline.store.SinkDeadLetters.SINK))
                .containsExactlyInAnyOrder("postgres", "redis");
        for (ConsumerRecord<byte[], byte[]> r : dead) {
            assertThat(r.value()).isEqualTo(garbled);
            assertThat(header(r.headers(), DeadLetterHeaders.REASON)).contains("cannot read it");
            assertThat(header(r.headers(), DeadLetterHeaders.TOPIC)).isEqualTo(config.topics().aggregates());
        }
    }

    private List<ConsumerRecord<byte[], byte[]>> deadLettersFor(String key) {
        List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        readToEnd(config.topics().deadLetter(), r -> {
            if (r.key() != null && new String(r.key()).equals(key)) {
                found.add(r);
            }
            return false;
        });
        return found;
    }

    /** Where a series' aggregate records are in the log, committed and not. */
    private String aggregateTrail(String seriesKey) {
        StringBuilder trail = new StringBuilder("aggregates of " + seriesKey + ":");
        for (String isolation : List.of("read_committed", "read_uncommitted")) {
            List<String> found = new ArrayList<>();
            readToEnd(config.topics().aggregates(), isolation, r -> {
                if (r.key() != null && new String(r.key()).contains(seriesKey)) {
                    found.add(r.partition() + "@" + r.offset());
                }
                return false;
            });
            trail.append(' ').append(isolation).append(' ').append(found);
        }
        return trail.append('\n').toString();
    }

    private ConsumerRecord<byte[], byte[]> deadLetterFor(String key) {
        List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        readToEnd(config.topics().deadLetter(), r -> r.key() != null && new String(r.key()).equals(key) && found.add(r));
        return found.isEmpty() ? null : found.get(0);
    }

    /** Reads a topic from its beginning to its end offsets as of now, until {@code visit} returns true. */
    private static void readToEnd(String topic, java.util.function.Predicate<ConsumerRecord<byte[], byte[]>> visit) {
        readToEnd(topic, "read_committed", visit);
    }

    private static void readToEnd(String topic, String isolation, java.util.function.Predicate<ConsumerRecord<byte[], byte[]>> visit) {
        try (KafkaConsumer<byte[], byte[]> consumer = rawConsumer(isolation)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (visit.test(r)) {
                        return;
                    }
                }
            }
        }
    }

    private static KafkaConsumer<byte[], byte[]> rawConsumer(String isolation) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServers.current().kafkaBootstrap(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
