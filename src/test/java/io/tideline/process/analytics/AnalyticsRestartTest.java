package io.tideline.process.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tideline.definition.DefinitionParser;
import io.tideline.definition.Lane;
import io.tideline.definition.MetricDefinition;
import io.tideline.definition.SequenceRule;
import io.tideline.model.Alert;
import io.tideline.model.EventEnvelope;
import io.tideline.model.MetricResult;
import io.tideline.model.OrderStatus;
import io.tideline.model.OrderStatusChanged;
import io.tideline.model.Payment;
import io.tideline.model.PaymentChannel;
import io.tideline.observe.PipelineMetrics;
import io.tideline.support.TestConfig;

/**
 * The analytics processors across their task starting again. Kafka Streams may initialise a processor again in
 * place (a task revived after its state was found corrupted), over stores restored to the last commit: what the
 * processor held from before is work that was never committed — not to be sent, nor to be believed.
 */
class AnalyticsRestartTest {

    private static final Instant T0 = Instant.parse("2026-12-01T21:00:00Z");

    private final MetricDefinition metric = DefinitionParser.parse("test.yml", """
            metrics:
              - name: spend
                source: payment
                group-by: merchant
                window: {type: tumbling, size: 1m}
                aggregate: [count, sum(amount)]
            """).metrics().get(0);
    private final MetricProcessor processor = MetricProcessor.of(metric,
            TestConfig.properties(Map.of("tideline.analytics.max-clock-skew", "1d")).analytics(),
            new PipelineMetrics(new SimpleMeterRegistry()));
    private MockProcessorContext<String, Emitted> context;
    private int ids;

    /** A task starting over its store as of the last commit: here, before any of the events below. */
    private void startTask() {
        context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(T0.toEpochMilli());
        KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(MetricStore.name(metric)),
                Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        processor.init(context);
    }

    private void payment(String merchant, String amount) {
        Instant time = T0.plusSeconds(++ids);
        EventEnvelope e = EventEnvelope.newBuilder()
                .setId("e" + ids).setSource("/test").setType("payment").setSubject(null)
                .setTime(time).setIngestTime(time).setPartitionKey("a1")
                .setPayload(Payment.newBuilder().setPaymentId("p" + ids).setAccount("a1").setMerchant(merchant)
                        .setAmount(new BigDecimal(amount).setScale(4)).setCurrency("EUR").setCountry("DE")
                        .setChannel(PaymentChannel.ONLINE).build())
                .build();
        processor.process(new Record<>(merchant, EnrichedEvent.of(e), time.toEpochMilli()));
    }

    /** Runs the processor's wall-clock beats (the standard lane's emit and the close check) and returns what they sent. */
    private List<MetricResult> beat() {
        context.resetForwards();
        context.scheduledPunctuators().stream()
                .filter(p -> p.getType() == PunctuationType.WALL_CLOCK_TIME)
                .forEach(p -> p.getPunctuator().punctuate(context.currentSystemTimeMs()));
        return context.forwarded().stream().map(f -> f.record().value()).filter(v -> !v.isLate()).map(Emitted::result).toList();
    }

    @Test
    void aMetricInitialisedAgainSendsNothingOfWhatItHeldAndRecomputesFromTheReplay() {
        assertThat(metric.lane()).isEqualTo(Lane.STANDARD);
        startTask();
        payment("m1", "10");
        payment("m1", "20");

        startTask(); // the two events were never committed: the store is as before them

        assertThat(beat()).isEmpty();

        payment("m1", "10"); // the replay of the same input
        List<MetricResult> sent = beat();
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).getCount()).isEqualTo(1);
        assertThat(sent.get(0).getGroupKey()).isEqualTo("m1");
    }

    @Test
    void aSequenceRuleInitialisedAgainReadsItsDeadlinesFromTheRestoredStore() {
        SequenceRule rule = DefinitionParser.parse("test.yml", """
                sequences:
                  - name: paid-not-shipped
                    first: {type: order-status, where: "status == 'PAID'"}
                    not-followed-by: {type: order-status, where: "status == 'SHIPPED'"}
                    within: 2h
                """).sequences().get(0);
        SequenceProcessor sequence = new SequenceProcessor(rule,
                TestConfig.properties(Map.of("tideline.analytics.max-clock-skew", "1d")).analytics(),
                new PipelineMetrics(new SimpleMeterRegistry()));
        Map<String, byte[]> committed = new java.util.HashMap<>();
        MockProcessorContext<String, Alert> first = sequenceTask(sequence, rule, committed);
        sequence.process(order("o2", OrderStatus.PAID, T0));
        KeyValueStore<String, byte[]> store = first.getStateStore(SequenceProcessor.storeName(rule));
        store.all().forEachRemaining(kv -> committed.put(kv.key, kv.value)); // the commit: o2 waits for 12:30
        sequence.process(order("o3", OrderStatus.SHIPPED, T0.plus(Duration.ofHours(2)))); // o2's deadline passes...
        assertThat(first.forwarded()).hasSize(1); // ...and the alert goes out, in work that is then aborted

        MockProcessorContext<String, Alert> again = sequenceTask(sequence, rule, committed);
        sequence.process(order("o3", OrderStatus.SHIPPED, T0.plus(Duration.ofHours(2)))); // the replay

        assertThat(again.forwarded()).extracting(f -> f.record().value().getAlertId())
                .as("the deadline is in the restored store: the replayed event passes it, without waiting for a beat")
                .containsExactly("paid-not-shipped:o2-PAID");
    }

    private static MockProcessorContext<String, Alert> sequenceTask(SequenceProcessor sequence, SequenceRule rule,
                                                                    Map<String, byte[]> contents) {
        MockProcessorContext<String, Alert> context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(T0.toEpochMilli());
        KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SequenceProcessor.storeName(rule)),
                Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        contents.forEach(store::put);
        context.addStateStore(store);
        sequence.init(context);
        return context;
    }

    private static Record<String, EnrichedEvent> order(String orderId, OrderStatus status, Instant time) {
        EventEnvelope e = EventEnvelope.newBuilder()
                .setId(orderId + "-" + status).setSource("/test").setType("order-status").setSubject(null)
                .setTime(time).setIngestTime(time).setPartitionKey(orderId)
                .setPayload(OrderStatusChanged.newBuilder().setOrderId(orderId).setCustomer("c1").setStatus(status)
                        .setPreviousStatus(null).setWarehouse(null).build())
                .build();
        return new Record<>(orderId, EnrichedEvent.of(e), time.toEpochMilli());
    }
}
