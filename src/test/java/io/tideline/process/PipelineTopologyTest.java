package io.tideline.process;

import static io.tideline.support.CloudEvents.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tideline.config.TidelineProperties;
import io.tideline.definition.PipelineDefinition;
import io.tideline.ingest.IngestConfiguration;
import io.tideline.ingest.KafkaCloudEventBinding;
import io.tideline.model.AggregateScope;
import io.tideline.model.Alert;
import io.tideline.model.EventEnvelope;
import io.tideline.model.Payment;
import io.tideline.model.WindowAggregate;
import io.tideline.observe.PipelineMetrics;
import io.tideline.ingest.EventValidator;
import io.tideline.schema.registry.InMemorySchemaSource;
import io.tideline.schema.registry.TopicSerdes;
import tools.jackson.databind.node.ObjectNode;

class PipelineTopologyTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:05Z");

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private InMemorySchemaSource registry;
    /** The events topic's records as written (the same queue as {@code events}: a test reads one or the other). */
    private TestOutputTopic<String, byte[]> rawEvents;
    private TestInputTopic<byte[], byte[]> ingest;
    private TestOutputTopic<String, EventEnvelope> events;
    private TestOutputTopic<String, WindowAggregate> aggregates;
    private TestOutputTopic<String, Alert> alerts;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    @BeforeEach
    void start() {
        startWith(Map.of());
    }

    private void startWith(Map<String, String> settings) {
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.put("tideline.streams.state-dir", stateDir.toString());
        all.put("tideline.anomaly.min-samples", "10");
        TidelineProperties config = io.tideline.support.TestConfig.properties(all);
        KafkaCloudEventBinding binding = new KafkaCloudEventBinding(IngestConfiguration.eventJson());
        Properties props = StreamsRunner.streamsProperties(config);
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        registry = new InMemorySchemaSource();
        TopicSerdes topicSerdes = new TopicSerdes(registry, config.topics());

        driver = new TopologyTestDriver(PipelineTopology.build(config, binding, new EventValidator(registry.payloadSchemas()),
                topicSerdes, PipelineDefinition.empty(), new PipelineMetrics(new SimpleMeterRegistry())), props, T0);
        TidelineProperties.Topics topics = config.topics();
        ingest = driver.createInputTopic(topics.ingest(), new ByteArraySerializer(), new ByteArraySerializer());
        events = driver.createOutputTopic(topics.events(), new StringDeserializer(), topicSerdes.events().deserializer());
        rawEvents = driver.createOutputTopic(topics.events(), new StringDeserializer(), new ByteArrayDeserializer());
        aggregates = driver.createOutputTopic(topics.aggregates(), new StringDeserializer(), topicSerdes.aggregates().deserializer());
        alerts = driver.createOutputTopic(topics.alerts(), new StringDeserializer(), topicSerdes.alerts().deserializer());
        deadLetters = driver.createOutputTopic(topics.deadLetter(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void sendBinary(String key, ObjectNode event) {
        sendBinaryAt(key, event, T0);
    }

    private void sendBinaryAt(String key, ObjectNode event, Instant arrival) {
        ingest.pipeInput(new TestRecord<>(utf8(key), binaryValue(event), binaryHeaders(event), arrival));
    }

    @Test
    void validEventReachesEventsTopicKeyedByPartitionKeyWithEventTime() {
        Instant eventTime = T0.minusSeconds(3);
        sendBinary("acct-1", payment("e1", "acct-1", "12.50", eventTime));

        TestRecord<String, EventEnvelope> out = events.readRecord();
        assertThat(out.key()).isEqualTo("acct-1");
        assertThat(out.timestamp()).isEqualTo(eventTime.toEpochMilli());
        assertThat(out.value().getId()).isEqualTo("e1");
        assertThat(out.value().getType()).isEqualTo("payment");
        assertThat(out.value().getIngestTime()).isEqualTo(T0);
        Payment payment = (Payment) out.value().getPayload();
        assertThat(payment.getAmount()).isEqualByComparingTo("12.50");
        assertThat(out.headers().toArray()).as("the binding's headers stay behind: the envelope holds the attributes").isEmpty();
        assertThat(aggregates.readRecord().headers().toArray()).isEmpty();
        assertThat(events.isEmpty()).isTrue();
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void outputIsInTheRegistrysWireFormatUnderTheTopicsSubject() {
        sendBinary("acct-1", payment("e1", "acct-1", "12.50", T0));

        byte[] value = rawEvents.readValue();
        assertThat(value[0]).isZero();
        int id = java.nio.ByteBuffer.wrap(value, 1, 4).getInt();
        assertThat(id).isEqualTo(registry.lookup("tideline.events-value", EventEnvelope.getClassSchema()));
        assertThat(registry.byId(id)).isEqualTo(EventEnvelope.getClassSchema());
    }

    @Test
    void structuredModeIsAcceptedLikeBinaryMode() {
        ObjectNode event = login("s1", "acct-9", T0);
        ingest.pipeInput(new TestRecord<>(utf8("acct-9"), utf8(event.toString()), structuredHeaders(), T0));

        EventEnvelope out = events.readValue();
        assertThat(out.getId()).isEqualTo("s1");
        assertThat(out.getPartitionKey()).isEqualTo("acct-9");
    }

    @Test
    void retriedEventIdIsPassedOnceAndCountedOnce() {
        ObjectNode event = payment("dup-1", "acct-1", "10", T0);
        sendBinary("acct-1", event);
        sendBinary("acct-1", event);
        sendBinary("acct-1", event);

        assertThat(events.readValuesToList()).extracting(EventEnvelope::getId).containsExactly("dup-1");
        assertThat(latestByWindow(aggregateUpdates()).get("KEY|payment|acct-1@" + minute(T0)).getCount()).isEqualTo(1);
    }

    @Test
    void anIdIsRememberedForTheRetentionByIngestTimeAcrossBucketsAndForgottenAfterIt() {
        ObjectNode event = payment("dup-2", "acct-1", "10", T0);
        sendBinaryAt("acct-1", event, T0);
        sendBinaryAt("acct-1", event, T0.plus(Duration.ofMinutes(50)));  // next bucket, within the hour
        sendBinaryAt("acct-1", event, T0.minus(Duration.ofMinutes(20))); // a retry from a client whose clock is behind
        sendBinaryAt("acct-1", payment("other", "acct-1", "10", T0), T0.plus(Duration.ofMinutes(61)));
        sendBinaryAt("acct-1", event, T0.plus(Duration.ofMinutes(61)));  // more than the retention (1 h) later

        assertThat(events.readValuesToList()).extracting(EventEnvelope::getId).containsExactly("dup-2", "other", "dup-2");
    }

    @Test
    void theDedupeStoresSegmentsHashTheirMemtableAndTheIteratedStoresKeepTheSkipList() throws Exception {
        sendBinary("acct-1", payment("e1", "acct-1", "10", T0));
        events.readValue();

        // RocksDB writes the options each database was opened with beside its files.
        Map<String, String> memtableBySegment = new java.util.TreeMap<>();
        try (var files = java.nio.file.Files.walk(stateDir)) {
            for (Path options : files.filter(f -> f.getFileName().toString().startsWith("OPTIONS-")).toList()) {
                String factory = java.nio.file.Files.readAllLines(options).stream().map(String::trim)
                        .filter(line -> line.startsWith("memtable_factory=")).findFirst().orElseThrow();
                memtableBySegment.put(options.getParent().getParent().getFileName() + "/" + options.getParent().getFileName(), factory);
            }
        }
        assertThat(memtableBySegment).hasEntrySatisfying(
                memtableBySegment.keySet().stream().filter(k -> k.startsWith(Deduplicator.STORE + "/")).findFirst().orElseThrow(),
                factory -> assertThat(factory).contains("HashLinkList"));
        assertThat(memtableBySegment).anySatisfy((segment, factory) -> {
            assertThat(segment).startsWith(WindowedSeriesAggregator.STORE + "/");
            assertThat(factory).contains("SkipList");
        });
        assertThat(memtableBySegment).allSatisfy((segment, factory) ->
                assertThat(factory.contains("HashLinkList")).as(segment).isEqualTo(segment.startsWith(Deduplicator.STORE + "/")));
    }

    @Test
    void atLeastOnceTypeSkipsDeduplicationAndCountsARetryAgain() {
        driver.close();
        startWith(Map.of("tideline.guarantees.metric-sample", "at-least-once"));
        ObjectNode sample = metric("m-dup", "cpu", 1.5, T0);
        sendBinary("cpu", sample);
        sendBinary("cpu", sample);
        ObjectNode payment = payment("p-dup", "acct-1", "2", T0);
        sendBinary("acct-1", payment);
        sendBinary("acct-1", payment);

        assertThat(events.readValuesToList()).extracting(EventEnvelope::getId).containsExactly("m-dup", "m-dup", "p-dup");
        Map<String, WindowAggregate> latest = latestByWindow(aggregateUpdates());
        assertThat(latest.get("KEY|metric-sample|cpu@" + minute(T0)).getCount()).isEqualTo(2);
        assertThat(latest.get("KEY|payment|acct-1@" + minute(T0)).getCount()).isEqualTo(1);
    }

    @Test
    void perKeyAndPerTypeTumblingWindowsHoldCountSumMinMax() {
        sendBinary("acct-a", payment("a1", "acct-a", "10.50", T0));
        sendBinary("acct-a", payment("a2", "acct-a", "20.25", T0.plusSeconds(10)));
        sendBinary("acct-b", payment("b1", "acct-b", "100", T0.plusSeconds(20)));
        sendBinary("acct-a", payment("a3", "acct-a", "5.00", T0.plusSeconds(30)));
        // next minute: a window of its own
        sendBinary("acct-a", payment("a4", "acct-a", "1.00", T0.plusSeconds(60)));

        Map<String, WindowAggregate> latest = latestByWindow(aggregateUpdates());
        WindowAggregate keyA = latest.get("KEY|payment|acct-a@" + minute(T0));
        assertThat(keyA.getScope()).isEqualTo(AggregateScope.KEY);
        assertThat(keyA.getCount()).isEqualTo(3);
        assertThat(keyA.getSum()).isEqualByComparingTo("35.75");
        assertThat(keyA.getMin()).isEqualByComparingTo("5.00");
        assertThat(keyA.getMax()).isEqualByComparingTo("20.25");
        assertThat(keyA.getWindowEnd().toEpochMilli() - keyA.getWindowStart().toEpochMilli()).isEqualTo(60_000);

        WindowAggregate type = latest.get("TYPE|payment|@" + minute(T0));
        assertThat(type.getCount()).isEqualTo(4);
        assertThat(type.getSum()).isEqualByComparingTo("135.75");
        assertThat(type.getMin()).isEqualByComparingTo("5.00");
        assertThat(type.getMax()).isEqualByComparingTo("100");

        WindowAggregate nextMinute = latest.get("KEY|payment|acct-a@" + minute(T0.plusSeconds(60)));
        assertThat(nextMinute.getCount()).isEqualTo(1);
        assertThat(nextMinute.getSum()).isEqualByComparingTo("1");
    }

    @Test
    void typesWithoutAMeasureAreCountedOnly() {
        sendBinary("acct-x", login("l1", "acct-x", T0));
        sendBinary("acct-x", login("l2", "acct-x", T0.plusSeconds(1)));

        WindowAggregate type = latestByWindow(aggregateUpdates()).get("TYPE|account-activity|@" + minute(T0));
        assertThat(type.getCount()).isEqualTo(2);
        assertThat(type.getSum()).isNull();
        assertThat(type.getMin()).isNull();
    }

    @Test
    void outOfOrderEventWithinGraceIsCountedInItsOwnWindow() {
        sendBinary("cpu", metric("m1", "cpu", 1.0, T0.plusSeconds(62)));
        sendBinary("cpu", metric("m2", "cpu", 2.0, T0.plusSeconds(50))); // earlier minute, 8 s late: within 10 s grace

        Map<String, WindowAggregate> latest = latestByWindow(aggregateUpdates());
        assertThat(latest.get("KEY|metric-sample|cpu@" + minute(T0)).getCount()).isEqualTo(1);
        assertThat(latest.get("KEY|metric-sample|cpu@" + minute(T0)).getSum()).isEqualByComparingTo("2");
        assertThat(latest.get("KEY|metric-sample|cpu@" + minute(T0.plusSeconds(62))).getCount()).isEqualTo(1);
    }

    @Test
    void schemaInvalidEventIsDeadLetteredWithReasonAndProvenance() {
        ObjectNode bad = payment("bad-1", "acct-1", "1", T0);
        ((ObjectNode) bad.get("data")).put("amount", "lots");
        ((ObjectNode) bad.get("data")).remove("currency");
        sendBinary("acct-1", bad);

        TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
        assertThat(new String(dead.value())).isEqualTo(bad.get("data").toString());
        assertThat(new String(dead.key())).isEqualTo("acct-1");
        assertThat(header(dead.headers(), DeadLetterHeaders.REASON)).contains("data.amount").contains("data.currency");
        assertThat(header(dead.headers(), DeadLetterHeaders.EXCEPTION)).isEqualTo("io.tideline.ingest.InvalidEventException");
        assertThat(header(dead.headers(), DeadLetterHeaders.TOPIC)).isEqualTo("tideline.ingest");
        assertThat(header(dead.headers(), DeadLetterHeaders.PARTITION)).isEqualTo("0");
        assertThat(header(dead.headers(), DeadLetterHeaders.OFFSET)).isEqualTo("0");
        assertThat(Instant.parse(header(dead.headers(), DeadLetterHeaders.TIME))).isNotNull();
        assertThat(header(dead.headers(), "ce_id")).isEqualTo("bad-1"); // original headers kept for re-drive
        assertThat(events.isEmpty()).isTrue();
        assertThat(aggregates.isEmpty()).isTrue();
    }

    @Test
    void unreadableBytesAreDeadLetteredAndTheNextRecordStillFlows() {
        RecordHeaders headers = structuredHeaders();
        ingest.pipeInput(new TestRecord<>(utf8("k"), new byte[] {(byte) 0xC3, 0x28, 0x7B}, headers, T0));
        sendBinary("acct-1", payment("after-poison", "acct-1", "3", T0));

        assertThat(header(deadLetters.readRecord().headers(), DeadLetterHeaders.REASON)).contains("not valid JSON");
        assertThat(events.readValue().getId()).isEqualTo("after-poison");
    }

    @Test
    void unknownTypeIsDeadLettered() {
        ObjectNode event = payment("u1", "acct-1", "1", T0);
        event.put("type", "teleportation");
        sendBinary("acct-1", event);

        assertThat(header(deadLetters.readRecord().headers(), DeadLetterHeaders.REASON)).contains("unknown event type \"teleportation\"");
    }

    @Test
    void recordKeyedDifferentlyFromItsPartitionKeyIsReroutedOnce() {
        sendBinary("not-the-account", payment("r1", "acct-7", "9", T0));

        List<TestRecord<String, EventEnvelope>> out = events.readRecordsToList();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).key()).isEqualTo("acct-7");
        assertThat(out.get(0).value().getIngestTime()).isEqualTo(T0);
    }

    @Test
    void paymentFarOutsideTheAccountsDistributionRaisesExactlyOneAlert() {
        String[] usual = {"95", "102", "99", "101", "98", "104", "97", "100", "103", "96", "100", "99"};
        for (int i = 0; i < usual.length; i++) {
            sendBinary("acct-z", payment("n" + i, "acct-z", usual[i], T0.plusSeconds(i)));
        }
        assertThat(alerts.isEmpty()).isTrue();

        sendBinary("acct-z", payment("fraud", "acct-z", "5000", T0.plusSeconds(20)));
        sendBinary("acct-z", payment("normal-after", "acct-z", "101", T0.plusSeconds(21)));

        List<Alert> raised = alerts.readValuesToList();
        assertThat(raised).hasSize(1);
        Alert alert = raised.get(0);
        assertThat(alert.getAlertId()).isEqualTo("payment-amount-zscore:fraud");
        assertThat(alert.getSeriesKey()).isEqualTo("acct-z");
        assertThat(alert.getObserved()).isEqualTo(5000.0);
        assertThat(alert.getBaselineMean()).isBetween(99.0, 100.5);
        assertThat(alert.getScore()).isGreaterThan(4.0);
    }

    @Test
    void noAlertBeforeTheBaselineHasEnoughSamples() {
        for (int i = 0; i < 5; i++) {
            sendBinary("acct-new", payment("w" + i, "acct-new", "10", T0.plusSeconds(i)));
        }
        sendBinary("acct-new", payment("big", "acct-new", "9000", T0.plusSeconds(6)));

        assertThat(alerts.isEmpty()).isTrue();
    }

    @Test
    void eventArrivingAfterItsWindowClosedIsNotCountedAndLaterEventsStillAre() {
        Instant arrival = T0.plusSeconds(120);
        sendBinaryAt("cpu", metric("m1", "cpu", 1.0, arrival), arrival);
        // T0's window closed at its end + 10 s grace, before this arrival
        sendBinaryAt("cpu", metric("m2", "cpu", 2.0, T0), arrival.plusMillis(1));
        sendBinaryAt("cpu", metric("m3", "cpu", 3.0, arrival.plusSeconds(1)), arrival.plusSeconds(1));

        Map<String, WindowAggregate> latest = latestByWindow(aggregateUpdates());
        assertThat(latest).doesNotContainKey("KEY|metric-sample|cpu@" + minute(T0));
        assertThat(latest.get("KEY|metric-sample|cpu@" + minute(T0.plusSeconds(120))).getCount()).isEqualTo(2);
        assertThat(latest.get("TYPE|metric-sample|@" + minute(T0.plusSeconds(120))).getCount()).isEqualTo(2);
    }

    @Test
    void lateIsJudgedByArrivalSoAClockFarAheadClosesNoWindow() {
        sendBinary("cpu", metric("ahead", "cpu", 1.0, T0.plusSeconds(3600))); // a client clock an hour fast
        sendBinary("cpu", metric("now", "cpu", 2.0, T0));

        assertThat(latestByWindow(aggregateUpdates()).get("KEY|metric-sample|cpu@" + minute(T0)).getCount())
                .isEqualTo(1);
    }

    @Test
    void perTypeFiguresArePartsOfTheIngestPartitionSentOnABeatAndPerKeyFiguresAreWholeAndSentAtOnce() {
        sendBinary("acct-1", payment("p1", "acct-1", "1", T0));
        sendBinary("acct-2", payment("p2", "acct-2", "2", T0));

        assertThat(aggregates.readRecordsToList()).extracting(TestRecord::key)
                .containsExactly("KEY|payment|acct-1", "KEY|payment|acct-2");
        List<TestRecord<String, WindowAggregate>> beat = aggregateUpdates();
        assertThat(beat).extracting(TestRecord::key).containsExactly("TYPE|payment|");
        assertThat(beat.get(0).value().getPart()).isEqualTo(0);
        assertThat(beat.get(0).value().getCount()).isEqualTo(2);
        assertThat(aggregateUpdates()).isEmpty(); // nothing changed since
    }

    @Test
    void aPartOfAWindowAheadOfTheStreamsTimeCarriesOverWhenTheWindowComesOfAge() {
        Instant ahead = T0.plus(Duration.ofMinutes(10)); // a client whose clock is ten minutes ahead
        sendBinaryAt("acct-1", payment("f1", "acct-1", "4", ahead), T0);
        assertThat(latestByWindow(aggregateUpdates()).get("TYPE|payment|@" + minute(ahead)).getCount()).isEqualTo(1);

        // The stream's time reaches the window: its part goes on from the one stored while it was ahead.
        sendBinaryAt("acct-2", payment("f2", "acct-2", "6", ahead.plusSeconds(1)), ahead.plusSeconds(1));
        WindowAggregate ofAge = latestByWindow(aggregateUpdates()).get("TYPE|payment|@" + minute(ahead));
        assertThat(ofAge.getCount()).isEqualTo(2);
        assertThat(ofAge.getSum()).isEqualByComparingTo("10");
        sendBinaryAt("acct-1", payment("f3", "acct-1", "1", ahead.plusSeconds(2)), ahead.plusSeconds(2));
        assertThat(latestByWindow(aggregateUpdates()).get("TYPE|payment|@" + minute(ahead)).getCount()).isEqualTo(3);
    }

    @Test
    void aggregatesNeedNoRepartitionTopic() {
        // One sub-topology: no record waits for an internal topic's transaction to commit before it is aggregated.
        TidelineProperties config = io.tideline.support.TestConfig.defaults();
        InMemorySchemaSource registry = new InMemorySchemaSource();
        assertThat(PipelineTopology.build(config, new KafkaCloudEventBinding(IngestConfiguration.eventJson()),
                new EventValidator(registry.payloadSchemas()), new TopicSerdes(registry, config.topics()),
                PipelineDefinition.empty(), new PipelineMetrics(new SimpleMeterRegistry())).describe().subtopologies()).hasSize(1);
    }

    /** What the aggregates topic has received once the per-type parts' emission beat has gone by. */
    private List<TestRecord<String, WindowAggregate>> aggregateUpdates() {
        driver.advanceWallClockTime(java.time.Duration.ofMillis(20));
        return aggregates.readRecordsToList();
    }

    /** The last update of each series and window, as a store applying them in order would hold. */
    private static Map<String, WindowAggregate> latestByWindow(List<TestRecord<String, WindowAggregate>> updates) {
        Map<String, WindowAggregate> latest = new LinkedHashMap<>();
        for (TestRecord<String, WindowAggregate> r : updates) {
            latest.put(r.key() + "@" + r.value().getWindowStart().toEpochMilli(), r.value());
        }
        return latest;
    }

    private static long minute(Instant t) {
        return t.toEpochMilli() - t.toEpochMilli() % 60_000;
    }

}
