package io.tideline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.sun.net.httpserver.HttpServer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tideline.config.TidelineProperties;
import io.tideline.definition.DefinitionParser;
import io.tideline.definition.MetricDefinition;
import io.tideline.definition.PipelineDefinition;
import io.tideline.ingest.IngestConfiguration;
import io.tideline.model.EventEnvelope;
import io.tideline.model.MetricWindowView;
import io.tideline.model.Payment;
import io.tideline.model.PaymentChannel;
import io.tideline.observe.PipelineMetrics;
import io.tideline.process.StreamsRunner;
import io.tideline.process.analytics.AnalyticsTopology;
import io.tideline.schema.AvroSerde;
import io.tideline.schema.registry.InMemorySchemaSource;
import io.tideline.schema.registry.TopicSerdes;
import io.tideline.serve.WindowStateQueries;
import io.tideline.support.TestConfig;
import tools.jackson.databind.ObjectMapper;

/**
 * Interactive queries across two instances of one application on the real broker: each instance owns some of the
 * keys' partitions, and a window query made to one instance is answered for every key — from its own store, or
 * forwarded to the owner's HTTP API (served here by a minimal server around the owner's own query object).
 */
@ExtendWith(TestServersExtension.class)
class WindowQueryRoutingTest {

    private static final ObjectMapper JSON = IngestConfiguration.eventJson();

    @Test
    void aQueryToEitherInstanceIsAnsweredByTheOwnerOfTheKey() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String input = "routing-" + run + ".events";
        Map<String, String> topics = Map.of("tideline.topics.metrics", "routing-" + run + ".metrics",
                "tideline.topics.late", "routing-" + run + ".late", "tideline.topics.alerts", "routing-" + run + ".alerts");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestServers.current().kafkaBootstrap()))) {
            List<NewTopic> create = new ArrayList<>();
            create.add(new NewTopic(input, 6, (short) 1));
            topics.values().forEach(t -> create.add(new NewTopic(t, 6, (short) 1)));
            admin.createTopics(create).all().get();
        }
        PipelineDefinition definition = DefinitionParser.parse("routing.yml", """
                metrics:
                  - name: spend
                    source: payment
                    group-by: key
                    window: {type: tumbling, size: 1h}
                    aggregate: [count]
                """);
        MetricDefinition spend = definition.metrics().get(0);

        List<AutoCloseable> open = new ArrayList<>();
        try {
            WindowStateQueries a = instance(run, input, topics, definition, open);
            WindowStateQueries b = instance(run, input, topics, definition, open);

            Map<String, Integer> sent = new HashMap<>();
            Instant now = Instant.now();
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServers.current().kafkaBootstrap()), new StringSerializer(),
                    new org.apache.kafka.common.serialization.ByteArraySerializer())) {
                for (int i = 0; i < 24; i++) {
                    String key = "k" + i;
                    for (int n = 0; n <= i % 3; n++) {
                        producer.send(new ProducerRecord<>(input, null, now.toEpochMilli(), key, payment(key, now)));
                        sent.merge(key, 1, Integer::sum);
                    }
                }
            }
            for (WindowStateQueries asked : List.of(a, b)) {
                for (Map.Entry<String, Integer> e : sent.entrySet()) {
                    await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() -> {
                        List<MetricWindowView> windows = asked.windows(spend, e.getKey(), false);
                        assertThat(windows).hasSize(1);
                        assertThat(windows.get(0).count()).isEqualTo((long) e.getValue());
                    });
                }
            }
            assertThat(served).as("both instances answered forwarded queries").containsKeys(0, 1);
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                open.get(i).close();
            }
        }
    }

    /** Forwarded queries answered, by instance index. */
    private final Map<Integer, Integer> served = new java.util.concurrent.ConcurrentHashMap<>();

    private WindowStateQueries instance(String run, String input, Map<String, String> topics, PipelineDefinition definition,
                                        List<AutoCloseable> open) throws IOException {
        int index = open.size() / 2;
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Map<String, String> settings = new HashMap<>(topics);
        settings.put("tideline.kafka.bootstrap-servers", TestServers.current().kafkaBootstrap());
        settings.put("tideline.streams.application-id", "routing-" + run);
        settings.put("tideline.streams.state-dir", Files.createTempDirectory("routing-" + index).toString());
        settings.put("tideline.streams.application-server", "127.0.0.1:" + port);
        TidelineProperties config = TestConfig.properties(settings);

        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, EventEnvelope> events = builder.stream(input, Consumed.with(Serdes.String(),
                AvroSerde.<EventEnvelope>of(EventEnvelope.getClassSchema())));
        AnalyticsTopology.attach(builder, events, definition, config, new TopicSerdes(new InMemorySchemaSource(), config.topics()),
                new PipelineMetrics(new SimpleMeterRegistry()));
        StreamsRunner runner = new StreamsRunner(builder.build(), config, new SimpleMeterRegistry());
        runner.start();
        open.add(runner::stop);
        WindowStateQueries queries = new WindowStateQueries(runner, config.streams().applicationServer(), JSON);

        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        http.createContext("/v1/metrics/", exchange -> {
            String query = exchange.getRequestURI().getRawQuery();
            String key = URLDecoder.decode(query.substring(query.indexOf("key=") + 4), StandardCharsets.UTF_8);
            byte[] body;
            int status = 200;
            try {
                body = JSON.writeValueAsBytes(queries.windows(definition.metrics().get(0), key, true));
                served.merge(index, 1, Integer::sum);
            } catch (RuntimeException e) {
                status = 503;
                body = e.toString().getBytes(StandardCharsets.UTF_8);
            }
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        open.add(() -> http.stop(0));
        await().atMost(Duration.ofSeconds(90)).until(() -> runner.state() == KafkaStreams.State.RUNNING);
        return queries;
    }

    private static byte[] payment(String key, Instant time) {
        EventEnvelope e = EventEnvelope.newBuilder().setId(UUID.randomUUID().toString()).setSource("/test").setType("payment")
                .setSubject(null).setTime(time).setIngestTime(time).setPartitionKey(key)
                .setPayload(Payment.newBuilder().setPaymentId("p").setAccount(key).setMerchant("m").setAmount(new BigDecimal("1.0000"))
                        .setCurrency("EUR").setCountry("DE").setChannel(PaymentChannel.ONLINE).build())
                .build();
        return AvroSerde.<EventEnvelope>of(EventEnvelope.getClassSchema()).serializer().serialize(null, e);
    }
}
