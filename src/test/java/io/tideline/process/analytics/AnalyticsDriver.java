package io.tideline.process.analytics;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.test.TestRecord;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tideline.config.TidelineProperties;
import io.tideline.definition.DefinitionParser;
import io.tideline.model.AccountAction;
import io.tideline.model.AccountActivity;
import io.tideline.model.Alert;
import io.tideline.model.EventEnvelope;
import io.tideline.model.MetricResult;
import io.tideline.model.MetricSample;
import io.tideline.model.OrderStatus;
import io.tideline.model.OrderStatusChanged;
import io.tideline.model.Payment;
import io.tideline.model.PaymentChannel;
import io.tideline.observe.PipelineMetrics;
import io.tideline.process.StreamsRunner;
import io.tideline.schema.AvroSerde;
import io.tideline.schema.registry.InMemorySchemaSource;
import io.tideline.schema.registry.TopicSerdes;
import io.tideline.support.TestConfig;
import org.apache.avro.specific.SpecificRecord;

/**
 * A {@link TopologyTestDriver} over the analytics branches of one definition, fed canonical events directly (the
 * stages before them are PipelineTopologyTest's business). Wall clock starts at {@link #T0}.
 */
final class AnalyticsDriver implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    static final String EVENTS = "test.events";

    final TopologyTestDriver driver;
    final TestInputTopic<String, EventEnvelope> events;
    final TestOutputTopic<String, MetricResult> metrics;
    final TestOutputTopic<String, EventEnvelope> late;
    final TestOutputTopic<String, Alert> alerts;
    final PipelineMetrics meters = new PipelineMetrics(new SimpleMeterRegistry());
    private final TidelineProperties config;
    private int ids;

    AnalyticsDriver(Path stateDir, String yaml) {
        this(stateDir, yaml, Map.of());
    }

    AnalyticsDriver(Path stateDir, String yaml, Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>();
        settings.put("tideline.streams.state-dir", stateDir.toString());
        // the tests' event times run ahead of the driver's wall clock, which they advance only to close windows
        settings.put("tideline.analytics.max-clock-skew", "1d");
        settings.putAll(overrides);
        config = TestConfig.properties(settings);
        InMemorySchemaSource registry = new InMemorySchemaSource();
        TopicSerdes serdes = new TopicSerdes(registry, config.topics());
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, EventEnvelope> in = builder.stream(EVENTS, Consumed.with(Serdes.String(), AvroSerde.<EventEnvelope>of(EventEnvelope.getClassSchema())));
        AnalyticsTopology.attach(builder, in, DefinitionParser.parse("test.yml", yaml), config, serdes, meters);
        Properties props = StreamsRunner.streamsProperties(config);
        driver = new TopologyTestDriver(builder.build(), props, T0);
        events = driver.createInputTopic(EVENTS, new StringSerializer(), AvroSerde.<EventEnvelope>of(EventEnvelope.getClassSchema()).serializer());
        metrics = driver.createOutputTopic(config.topics().metrics(), new StringDeserializer(), serdes.metrics().deserializer());
        late = driver.createOutputTopic(config.topics().late(), new StringDeserializer(), serdes.events().deserializer());
        alerts = driver.createOutputTopic(config.topics().alerts(), new StringDeserializer(), serdes.alerts().deserializer());
    }

    TestInputTopic<String, String> reference(String topic) {
        return driver.createInputTopic(topic, new StringSerializer(), new StringSerializer());
    }

    /** Pipes an event keyed by its partition key, timestamped with its event time (as the events topic holds them). */
    EventEnvelope send(String type, String key, Instant time, SpecificRecord payload) {
        EventEnvelope e = EventEnvelope.newBuilder()
                .setId("e" + (++ids)).setSource("/test").setType(type).setSubject(null)
                .setTime(time).setIngestTime(time).setPartitionKey(key).setPayload(payload)
                .build();
        events.pipeInput(new TestRecord<>(key, e, time));
        return e;
    }

    EventEnvelope payment(String account, String merchant, String amount, Instant time) {
        return send("payment", account, time, Payment.newBuilder().setPaymentId("p" + (ids + 1)).setAccount(account)
                .setMerchant(merchant).setAmount(new BigDecimal(amount).setScale(4)).setCurrency("EUR").setCountry("DE")
                .setChannel(PaymentChannel.ONLINE).build());
    }

    EventEnvelope activity(String account, AccountAction action, String country, Instant time) {
        return send("account-activity", account, time, AccountActivity.newBuilder().setAccount(account).setAction(action)
                .setIp("10.0.0.1").setCountry(country).setUserAgent(null).build());
    }

    EventEnvelope order(String orderId, OrderStatus status, Instant time) {
        return send("order-status", orderId, time, OrderStatusChanged.newBuilder().setOrderId(orderId).setCustomer("c1")
                .setStatus(status).setPreviousStatus(null).setWarehouse(null).build());
    }

    EventEnvelope sample(String name, double value, Instant time) {
        return send("metric-sample", name, time, MetricSample.newBuilder().setName(name).setValue(value).setUnit(null)
                .setTags(Map.of()).build());
    }

    void advanceWallClock(Duration d) {
        driver.advanceWallClockTime(d);
    }

    List<MetricResult> results() {
        return metrics.readValuesToList();
    }

    double lateCount(String metric) {
        return meters.lateEvents(metric).count();
    }

    @Override
    public void close() {
        driver.close();
    }
}
