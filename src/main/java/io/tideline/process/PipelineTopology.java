package io.tideline.process;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

import io.tideline.config.TidelineProperties;
import io.tideline.ingest.EventValidator;
import io.tideline.ingest.KafkaCloudEventBinding;
import io.tideline.model.Alert;
import io.tideline.model.EventEnvelope;
import io.tideline.model.Payment;
import io.tideline.model.WindowAggregate;
import io.tideline.model.internal.AmountHistory;
import io.tideline.model.internal.SeriesStats;
import io.tideline.observe.PipelineMetrics;
import io.tideline.schema.AvroSerde;

/**
 * Builds Tideline's processing topology:
 * <pre>
 * ingest ─ normalize ─┬─ rejected ──► dead-letter topic (reason + provenance in headers)
 *                     ├─ misrouted ─► ingest (re-keyed by partition key)
 *                     └─ dedupe ────► events topic (canonical Avro envelopes, event-time timestamps)
 *                            ├─ per-key and per-type tumbling windows ─► aggregates topic (keyed by series)
 *                            └─ payments ─ amount z-score ─────────────► alerts topic
 * </pre>
 */
public final class PipelineTopology {

    public static final String SERIES_STATS_STORE = "series-stats";

    private PipelineTopology() {
    }

    public static Topology build(TidelineProperties config, KafkaCloudEventBinding binding, PipelineMetrics metrics) {
        TidelineProperties.Topics topics = config.topics();
        TidelineProperties.Streams streams = config.streams();
        Serde<String> strings = Serdes.String();
        Serde<byte[]> bytes = Serdes.ByteArray();
        AvroSerde<EventEnvelope> envelopes = AvroSerde.of(EventEnvelope.getClassSchema());
        EventValidator validator = new EventValidator();

        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(Deduplicator.STORE, streams.dedupeRetention(), streams.dedupeRetention(), false),
                strings, Serdes.Long()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(PaymentAnomalyDetector.STORE),
                strings, AvroSerde.<AmountHistory>of(AmountHistory.getClassSchema())));

        Map<String, KStream<String, Normalized>> normalized = builder
                .stream(topics.ingest(), Consumed.with(bytes, bytes).withName("ingest"))
                .process(() -> new EventNormalizer(binding, validator, metrics), Named.as("normalize"))
                .split(Named.as("normalized-"))
                .branch((key, value) -> value.isRejected(), Branched.as("rejected"))
                .branch((key, value) -> value.misrouted(), Branched.as("misrouted"))
                .defaultBranch(Branched.as("routed"));

        normalized.get("normalized-rejected")
                .process(DeadLetterRecords::new, Named.as("dead-letter"))
                .to(topics.deadLetter(), Produced.with(bytes, bytes).withName("dead-letter-sink"));
        normalized.get("normalized-misrouted")
                .process(() -> new Rerouter(binding), Named.as("reroute"))
                .to(topics.ingest(), Produced.with(strings, bytes).withName("reroute-sink"));

        KStream<String, EventEnvelope> events = normalized.get("normalized-routed")
                .mapValues(Normalized::event, Named.as("envelope"))
                .processValues(() -> new Deduplicator(streams.dedupeRetention(), metrics), Named.as("dedupe"), Deduplicator.STORE);
        events.to(topics.events(), Produced.with(strings, envelopes).withName("events-sink"));

        events.flatMap((key, event) -> List.of(
                        KeyValue.pair(SeriesKey.ofKey(event.getType(), key).encode(), event),
                        KeyValue.pair(SeriesKey.ofType(event.getType()).encode(), event)), Named.as("to-series"))
                .groupByKey(Grouped.with("series", strings, envelopes))
                .windowedBy(TimeWindows.ofSizeAndGrace(streams.window(), streams.grace()))
                .aggregate(SeriesStatsAggregator::empty, (series, event, stats) -> SeriesStatsAggregator.add(event, stats),
                        Named.as("aggregate"),
                        Materialized.<String, SeriesStats, WindowStore<Bytes, byte[]>>as(SERIES_STATS_STORE)
                                .withKeySerde(strings)
                                .withValueSerde(AvroSerde.of(SeriesStats.getClassSchema())))
                .toStream(Named.as("aggregate-updates"))
                .map((window, stats) -> KeyValue.pair(window.key(), SeriesStatsAggregator.toAggregate(
                        SeriesKey.parse(window.key()), window.window().start(), window.window().end(), stats)), Named.as("to-aggregate"))
                .to(topics.aggregates(), Produced.with(strings, AvroSerde.<WindowAggregate>of(WindowAggregate.getClassSchema()))
                        .withName("aggregates-sink"));

        events.filter((key, event) -> event.getPayload() instanceof Payment, Named.as("payments"))
                .processValues(() -> new PaymentAnomalyDetector(config.anomaly(), metrics), Named.as("payment-anomaly"),
                        PaymentAnomalyDetector.STORE)
                .to(topics.alerts(), Produced.with(strings, AvroSerde.<Alert>of(Alert.getClassSchema())).withName("alerts-sink"));

        return builder.build();
    }
}
