package io.tideline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import io.tideline.config.TidelineProperties;
import io.tideline.model.Payment;
import io.tideline.schema.registry.RegistryAvroSerde;
import io.tideline.schema.registry.RegistryClient;
import io.tideline.schema.registry.SubjectNameStrategy;
import io.tideline.support.CloudEvents;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The payment schema evolves while the pipeline runs: v2 adds an optional field under BACKWARD; producers of v1
 * and v2 write at the same time, over Kafka (Avro in the registry's wire format) and HTTP (JSON); every event
 * goes through and the new field reaches PostgreSQL; an incompatible v3 is refused with the field named.
 */
@EndToEndTest
class SchemaEvolutionEndToEndTest extends EndToEndSupport {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final String SUBJECT = Payment.getClassSchema().getFullName();
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int PER_PRODUCER = 40;
    private static final List<String> PRODUCERS = List.of("kafka-v1", "kafka-v2", "http-v1", "http-v2");

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TidelineProperties config;

    private Integer v2Version;

    private static Schema withFields(String fields) {
        String v1 = Payment.getClassSchema().toString();
        return new Schema.Parser().parse(v1.substring(0, v1.length() - 2) + "," + fields + "]}");
    }

    private static final Schema V2 = withFields("{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null}");

    @AfterEach
    void removeV2() throws Exception {
        // the registry outlives this class's application: later classes must find the payment schema as it was
        if (v2Version != null) {
            registry("DELETE", "/subjects/" + SUBJECT + "/versions/" + v2Version, null);
            registry("DELETE", "/subjects/" + SUBJECT + "/versions/" + v2Version + "?permanent=true", null);
        }
        registry("DELETE", "/config/" + SUBJECT, null);
    }

    @Test
    void v1AndV2ProducersWriteConcurrentlyAndTheNewFieldReachesTheStores() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        RegistryClient client = new RegistryClient("http://127.0.0.1:" + port);
        int v1 = client.lookup(SUBJECT, Payment.getClassSchema());

        // Before v2 exists, its field is refused by name.
        ObjectNode early = CloudEvents.payment("early-" + run, "early-" + run, "1", Instant.now());
        ((ObjectNode) early.get("data")).put("note", "too soon");
        HttpResponse<String> refused = post("application/cloudevents+json", early.toString());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("data.note").contains("is not a field of Payment");

        assertThat(registry("PUT", "/config/" + SUBJECT, "{\"compatibility\":\"BACKWARD\"}").statusCode()).isEqualTo(200);
        JsonNode registered = JSON.readTree(registry("POST", "/subjects/" + SUBJECT + "/versions", schemaBody(V2)).body());
        int v2 = registered.get("id").asInt();
        v2Version = JSON.readTree(registry("POST", "/subjects/" + SUBJECT, schemaBody(V2)).body()).get("version").asInt();
        assertThat(v2).isNotEqualTo(v1);

        // v3 candidates that would break readers of v2 data are refused, naming the field.
        HttpResponse<String> required = registry("POST", "/subjects/" + SUBJECT + "/versions",
                schemaBody(withFields("{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null},"
                        + "{\"name\":\"terminal\",\"type\":\"string\"}")));
        assertThat(required.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(required.body()).get("error_code").asInt()).isEqualTo(409);
        assertThat(required.body()).contains("terminal");
        HttpResponse<String> retyped = registry("POST", "/subjects/" + SUBJECT + "/versions",
                schemaBody(withFields("{\"name\":\"note\",\"type\":[\"null\",\"int\"],\"default\":null}")));
        assertThat(retyped.statusCode()).isEqualTo(409);
        assertThat(retyped.body()).contains("note");

        // Ingest validates JSON against the newest version once it has read it (tideline.registry.schema-refresh).
        ObjectNode probe = CloudEvents.payment("probe-" + run, "probe-" + run, "1", Instant.now());
        ((ObjectNode) probe.get("data")).put("note", "probe");
        await().atMost(DEADLINE).until(() -> post("application/cloudevents+json", probe.toString()).statusCode() == 202);

        // Four producers at once: Avro v1 and v2 over Kafka, JSON as v1 and as v2 over HTTP.
        ExecutorService producers = Executors.newFixedThreadPool(4);
        List<Future<List<String>>> sent = new ArrayList<>();
        sent.add(producers.submit(kafkaProducer(run, "kafka-v1", client, Payment.getClassSchema(), null)));
        sent.add(producers.submit(kafkaProducer(run, "kafka-v2", client, V2, "avro note")));
        sent.add(producers.submit(httpProducer(run, "http-v1", "/schemas/ids/" + v1, null)));
        sent.add(producers.submit(httpProducer(run, "http-v2", null, "json note")));
        List<String> ids = new ArrayList<>();
        for (Future<List<String>> f : sent) {
            ids.addAll(f.get());
        }
        producers.shutdown();

        Object[] accounts = PRODUCERS.stream().map(p -> p + "-" + run).toArray();
        String ofProducers = "from events where partition_key in (?, ?, ?, ?)";
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(jdbc.queryForObject("select count(*) " + ofProducers,
                Long.class, accounts)).isEqualTo(4L * PER_PRODUCER));
        assertThat(jdbc.queryForObject("select count(distinct event_id) " + ofProducers, Long.class, accounts))
                .isEqualTo(4L * PER_PRODUCER);
        assertThat(notes("kafka-v2-" + run)).containsOnly("avro note");
        assertThat(notes("http-v2-" + run)).containsOnly("json note");
        assertThat(notes("kafka-v1-" + run)).containsOnly((String) null);
        assertThat(notes("http-v1-" + run)).containsOnly((String) null);
        assertThat(schemaIds("kafka-v1-" + run)).containsOnly(v1);
        assertThat(schemaIds("http-v1-" + run)).containsOnly(v1);
        assertThat(schemaIds("kafka-v2-" + run)).containsOnly(v2);
        assertThat(schemaIds("http-v2-" + run)).containsOnly(v2);
        for (String producer : PRODUCERS) {
            await().atMost(DEADLINE).untilAsserted(() -> assertThat(getJson("/v1/aggregates/latest?type=payment&key="
                    + producer + "-" + run).get("count").asLong()).isEqualTo(PER_PRODUCER));
        }
        for (JsonNode dead : getJson("/v1/dlq?limit=1000")) {
            assertThat(dead.get("key").asString()).doesNotEndWith("-" + run);
        }
        assertThat(ids).hasSize(4 * PER_PRODUCER);
    }

    private Callable<List<String>> kafkaProducer(String run, String name, RegistryClient client, Schema schema, String note) {
        return () -> {
            RegistryAvroSerde<GenericData.Record> serde = new RegistryAvroSerde<>(client, SubjectNameStrategy.RECORD_NAME,
                    false, false, null);
            List<String> ids = new ArrayList<>();
            String account = name + "-" + run;
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServers.current().kafkaBootstrap()),
                    new StringSerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < PER_PRODUCER; i++) {
                    String id = account + "-" + i;
                    GenericData.Record payment = new GenericData.Record(schema);
                    payment.put("paymentId", id);
                    payment.put("account", account);
                    payment.put("merchant", "m-1");
                    payment.put("amount", new BigDecimal("1.0000"));
                    payment.put("currency", "EUR");
                    payment.put("country", "DE");
                    payment.put("channel", new GenericData.EnumSymbol(schema.getField("channel").schema(), "ONLINE"));
                    if (note != null) {
                        payment.put("note", note);
                    }
                    RecordHeaders headers = new RecordHeaders();
                    headers.add("ce_specversion", utf8("1.0"));
                    headers.add("ce_id", utf8(id));
                    headers.add("ce_source", utf8("/producers/" + name));
                    headers.add("ce_type", utf8("payment"));
                    headers.add("ce_time", utf8(Instant.now().truncatedTo(ChronoUnit.MILLIS).toString()));
                    headers.add("content-type", utf8("application/avro"));
                    producer.send(new ProducerRecord<>(config.topics().ingest(), null, account,
                            serde.serialize(config.topics().ingest(), payment), headers)).get();
                    ids.add(id);
                }
            }
            return ids;
        };
    }

    private Callable<List<String>> httpProducer(String run, String name, String dataschema, String note) {
        return () -> {
            List<String> ids = new ArrayList<>();
            String account = name + "-" + run;
            for (int i = 0; i < PER_PRODUCER; i++) {
                String id = account + "-" + i;
                ObjectNode event = CloudEvents.payment(id, account, "1", Instant.now());
                if (dataschema != null) {
                    event.put("dataschema", dataschema);
                }
                if (note != null) {
                    ((ObjectNode) event.get("data")).put("note", note);
                }
                HttpResponse<String> response = post("application/cloudevents+json", event.toString());
                assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
                ids.add(id);
            }
            return ids;
        };
    }

    private List<String> notes(String account) {
        return jdbc.queryForList("select data->>'note' from events where partition_key = ?", String.class, account);
    }

    private List<Integer> schemaIds(String account) {
        return jdbc.queryForList("select schema_id from events where partition_key = ?", Integer.class, account);
    }

    private HttpResponse<String> registry(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept", CONTENT_TYPE);
        if (body != null) {
            request.header("Content-Type", CONTENT_TYPE);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString()).toString();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
