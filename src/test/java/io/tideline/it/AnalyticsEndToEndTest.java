package io.tideline.it;

import static io.tideline.support.CloudEvents.event;
import static io.tideline.support.CloudEvents.payment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
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
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.tideline.config.TidelineProperties;
import io.tideline.process.analytics.MetricProcessor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The demo definition (config/tideline.yml) on the real pipeline — Kafka, PostgreSQL, Redis: a fast-lane metric in
 * the read model, the history and the state store; an event too late for it on the late-events topic; a
 * standard-lane metric filtered on reference data; a sequence rule with enrichment raising an alert; the batch
 * lane from the history; the running definition through the API.
 */
@EndToEndTest
class AnalyticsEndToEndTest extends EndToEndSupport {

    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @Autowired
    TidelineProperties config;

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aFastLaneMetricIsInTheReadModelTheHistoryAndTheStateStoreAndALateEventIsSetAside() throws Exception {
        String account = unique("acct");
        // a millisecond of its own, so that the batch query below reads exactly these events
        Instant time = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusMillis(1 + (long) (Math.random() * 998));
        List<ObjectNode> batch = List.of(payment(account + "-1", account, "10", time), payment(account + "-2", account, "20", time),
                payment(account + "-3", account, "30", time));
        assertThat(post("application/cloudevents-batch+json", batch.toString()).statusCode()).isEqualTo(202);

        await().atMost(DEADLINE).untilAsserted(() -> {
            JsonNode latest = getJson("/v1/metrics/account-spend/latest?key=" + account);
            assertThat(latest.get("count").asLong()).isEqualTo(3);
            assertThat(latest.get("values").get("sum_amount").asDouble()).isEqualTo(60.0);
            assertThat(latest.get("values").get("max_amount").asDouble()).isEqualTo(30.0);
            assertThat(latest.get("values").get("mean_amount").asDouble()).isEqualTo(20.0);
            assertThat(latest.get("lane").asString()).isEqualTo("fast");
        });
        await().atMost(DEADLINE).untilAsserted(() -> {
            JsonNode stored = getJson("/v1/metrics/account-spend/history?key=" + account);
            assertThat(stored).hasSize(1);
            assertThat(stored.get(0).get("count").asLong()).isEqualTo(3);
        });
        JsonNode windows = getJson("/v1/metrics/account-spend/windows?key=" + account);
        assertThat(windows).hasSize(1);
        assertThat(windows.get(0).get("count").asLong()).isEqualTo(3);
        assertThat(Instant.parse(windows.get(0).get("windowStart").asString())).isEqualTo(time.truncatedTo(ChronoUnit.MINUTES));

        // ten minutes old: its window closed long ago (end + 10 s grace)
        ObjectNode late = payment(account + "-late", account, "99", time.minus(Duration.ofMinutes(10)));
        assertThat(post("application/cloudevents+json", late.toString()).statusCode()).isEqualTo(202);
        ConsumerRecord<String, byte[]> setAside = await().atMost(DEADLINE).until(() -> lateRecord(account + "-late"), r -> r != null);
        assertThat(new String(setAside.headers().lastHeader(MetricProcessor.LATE_REASON_HEADER).value(), StandardCharsets.UTF_8))
                .contains("closed at");
        assertThat(getJson("/v1/metrics/account-spend/windows?key=" + account)).hasSize(1);

        JsonNode hourly = getJson("/v1/metrics/hourly-spend-by-country/windows?key=DE&from=" + time + "&to=" + time.plusMillis(1));
        assertThat(hourly).hasSize(1);
        assertThat(hourly.get(0).get("count").asLong()).isEqualTo(3);
        assertThat(hourly.get(0).get("values").get("sum_amount").asDouble()).isEqualTo(60.0);
        assertThat(hourly.get(0).get("lane").asString()).isEqualTo("batch");
    }

    @Test
    void referenceDataFiltersAStandardLaneMetricAndFeedsASequenceRule() throws Exception {
        String merchant = unique("merchant");
        String account = unique("acct");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServers.current().kafkaBootstrap()), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("tideline.ref.merchants", merchant, "{\"risk\": \"high\", \"category\": \"travel\"}")).get();
            producer.send(new ProducerRecord<>("tideline.ref.accounts", account, "{\"homeCountry\": \"DE\"}")).get();
        }
        // Only payments to a high-risk merchant count; the reference reaches the global table asynchronously, so pay
        // until one has counted.
        List<Integer> sent = new ArrayList<>();
        await().atMost(DEADLINE).pollInterval(Duration.ofSeconds(1)).until(() -> {
            ObjectNode p = payment(merchant + "-" + sent.size(), account, "5", Instant.now());
            ((ObjectNode) p.get("data")).put("merchant", merchant);
            sent.add(post("application/cloudevents+json", p.toString()).statusCode());
            return get("/v1/metrics/high-risk-merchant-spend/latest?key=" + merchant).statusCode() == 200;
        });
        assertThat(sent).allMatch(status -> status == 202);
        JsonNode spend = getJson("/v1/metrics/high-risk-merchant-spend/latest?key=" + merchant);
        assertThat(spend.get("lane").asString()).isEqualTo("standard");
        assertThat(spend.get("count").asLong()).isBetween(1L, (long) sent.size());

        Instant now = Instant.now();
        ObjectNode change = activity(account + "-pw", account, "PASSWORD_CHANGE", "DE", now);
        ObjectNode foreign = activity(account + "-login", account, "LOGIN", "BR", now.plusSeconds(5));
        assertThat(post("application/cloudevents-batch+json", List.of(change, foreign).toString()).statusCode()).isEqualTo(202);
        String alertId = "password-change-then-foreign-login:" + account + "-pw:" + account + "-login";
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(getJson("/v1/alerts/recent?limit=1000").findValuesAsString("alertId"))
                .contains(alertId));
    }

    @Test
    void theRunningDefinitionIsVisibleWithItsLanesAndBadQueriesAreRefusedByName() throws Exception {
        JsonNode definition = getJson("/v1/definition");
        assertThat(definition.get("origin").asString()).isEqualTo("config/tideline.yml");
        assertThat(definition.get("metrics").findValuesAsString("lane")).contains("fast", "standard", "batch");
        assertThat(definition.get("sequences").findValuesAsString("kind")).contains("then", "not-followed-by");

        assertThat(get("/v1/metrics/no-such-metric/latest").statusCode()).isEqualTo(404);
        var noKey = get("/v1/metrics/account-spend/windows");
        assertThat(noKey.statusCode()).isEqualTo(400);
        assertThat(noKey.body()).contains("key: required");
        var batchFromRedis = get("/v1/metrics/hourly-spend-by-country/latest");
        assertThat(batchFromRedis.statusCode()).isEqualTo(400);
        assertThat(batchFromRedis.body()).contains("not in the Redis read model");
    }

    private static ObjectNode activity(String id, String account, String action, String country, Instant time) {
        return event(id, "account-activity", time, JsonNodeFactory.instance.objectNode()
                .put("account", account).put("action", action).put("ip", "10.0.0.1").put("country", country));
    }

    /** The record with this event id on the late-events topic, if it is there yet. */
    private ConsumerRecord<String, byte[]> lateRecord(String eventId) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServers.current().kafkaBootstrap(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new org.apache.kafka.common.serialization.StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(config.topics().late()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (new String(r.value(), StandardCharsets.ISO_8859_1).contains(eventId)) {
                        return r;
                    }
                }
            }
            return null;
        }
    }
}
