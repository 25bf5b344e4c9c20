package io.tideline.process;

import java.util.Map;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

import io.tideline.config.Guarantee;
import io.tideline.config.TidelineProperties;
import io.tideline.definition.PipelineDefinition;
import io.tideline.ingest.EventValidator;
import io.tideline.ingest.KafkaCloudEventBinding;
import io.tideline.model.EventEnvelope;
import io.tideline.model.Payment;
import io.tideline.model.internal.SeriesStats;
import io.tideline.observe.PipelineMetrics;
import io.tideline.process.analytics.AnalyticsTopology;
import io.tideline.schema.AvroSerde;
import io.tideline.schema.registry.TopicSerdes;

/**
 * Builds Tideline's processing topology:
 * <pre>
 * ingest ─ normalize ─┬─ rejected ──► dead-letter topic (reason + provenance in headers)
 *                     ├─ misrouted ─► ingest (re-keyed by partition key)
 *                     └─ dedupe ────► events topic (canonical Avro envelopes, event-time timestamps)
 *                            ├─ per-key windows and per-type partials ─► aggregates topic (keyed by series)
 *                            ├─ payments ─ amount z-score ─────────────► alerts topic
 *                            └─ declared metrics and rules (tideline.yml) ─► metrics, late-events and alerts topics
 *                                                                           (see {@link AnalyticsTopology})
 * </pre>
 */
public final class PipelineTopology {

    private PipelineTopology() {
    }

    public static Topology build(TidelineProperties config, KafkaCloudEventBinding binding, EventValidator validator,
                                 TopicSerdes topicSerdes, PipelineDefinition definition, PipelineMetrics metrics) {
        TidelineProperties.Topics topics = config.topics();
        TidelineProperties.Streams streams = config.streams();
        Serde<String> strings = Serdes.String();
        Serde<byte[]> bytes = Serdes.ByteArray();

        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Deduplicator.store(streams.dedupeRetention()));
        // Retained for the window plus its grace: the longest an update to a window can still arrive. The record
        // cache folds a series' many updates between two commits into one RocksDB write and one changelog
        // record; it does not delay output, which the aggregator forwards itself.
        builder.addStateStore(seriesWindows(WindowedSeriesAggregator.STORE, streams));
        builder.addStateStore(seriesWindows(WindowedSeriesAggregator.TYPE_PARTS_STORE, streams));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(PaymentAnomalyDetector.STORE),
                strings, MomentWindow.serde()).withCachingEnabled());

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
                .processValues(() -> new Deduplicator(streams.dedupeRetention(),
                        type -> config.guaranteeOf(type) == Guarantee.EXACTLY_ONCE, metrics), Named.as("dedupe"), Deduplicator.STORE);
        events.to(topics.events(), Produced.with(strings, topicSerdes.events()).withName("events-sink"));

        events.process(() -> new WindowedSeriesAggregator(streams.window(), streams.grace(), streams.typeEmitInterval(), metrics),
                        Named.as("aggregate"), WindowedSeriesAggregator.STORE, WindowedSeriesAggregator.TYPE_PARTS_STORE)
                .to(topics.aggregates(), Produced.with(strings, topicSerdes.aggregates()).withName("aggregates-sink"));

        events.filter((key, event) -> event.getPayload() instanceof Payment, Named.as("payments"))
                .processValues(() -> new PaymentAnomalyDetector(config.anomaly(), metrics), Named.as("payment-anomaly"),
                        PaymentAnomalyDetector.STORE)
                .to(topics.alerts(), Produced.with(strings, topicSerdes.alerts()).withName("alerts-sink"));

        AnalyticsTopology.attach(builder, events, definition, config, topicSerdes, metrics);
        return builder.build();
    }

    private static StoreBuilder<WindowStore<String, SeriesStats>> seriesWindows(String name, TidelineProperties.Streams streams) {
        return Stores.windowStoreBuilder(
                Stores.persistentWindowStore(name, streams.window().plus(streams.grace()), streams.window(), false),
                Serdes.String(), AvroSerde.<SeriesStats>of(SeriesStats.getClassSchema())).withCachingEnabled();
    }
}
