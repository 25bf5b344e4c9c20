package io.tideline.process.analytics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

import io.tideline.config.TidelineProperties;
import io.tideline.definition.AnomalyRule;
import io.tideline.definition.Condition;
import io.tideline.definition.Enrichment;
import io.tideline.definition.Lane;
import io.tideline.definition.MetricDefinition;
import io.tideline.definition.PipelineDefinition;
import io.tideline.definition.SequenceRule;
import io.tideline.model.Alert;
import io.tideline.model.EventEnvelope;
import io.tideline.observe.PipelineMetrics;
import io.tideline.schema.AvroSerde;
import io.tideline.schema.registry.TopicSerdes;

/**
 * Adds the definition file's metrics and rules to the pipeline's topology, each as a branch of the canonical
 * (deduplicated) event stream:
 * <pre>
 * events ─ types ─┬─ (fast: already keyed by partition key) ────────────┐
 *                 └─ (standard: re-key by the rule's field) ─ repartition ┴─ enrich (GlobalKTable joins) ─ where ─┐
 *   metric ─► window processor ─┬─ values ─► metrics topic                                                       │
 *                               └─ too late ► late-events topic (reason in headers)                  ◄───────────┘
 *   anomaly / sequence rule ─► alerts topic
 * </pre>
 * A rule's condition (joining the reference data it reads) filters before the repartition, so only the events a rule
 * can use cross it.
 */
public final class AnalyticsTopology {

    private AnalyticsTopology() {
    }

    public static void attach(StreamsBuilder builder, KStream<String, EventEnvelope> events, PipelineDefinition definition,
                              TidelineProperties config, TopicSerdes serdes, PipelineMetrics metrics) {
        if (definition.isEmpty()) {
            return;
        }
        Map<String, GlobalKTable<String, String>> tables = new LinkedHashMap<>();
        for (Enrichment e : definition.enrichments()) {
            tables.put(e.name(), builder.globalTable(e.topic(), Consumed.with(Serdes.String(), Serdes.String()).withName("ref-" + e.name()),
                    Materialized.as("ref-" + e.name())));
        }
        Branches branches = new Branches(events, definition.enrichments(), tables,
                new ReferenceData(metrics.stageCounter("enrich", "malformed_reference")));
        TidelineProperties.Topics topics = config.topics();

        for (MetricDefinition m : definition.metrics()) {
            if (m.lane() == Lane.BATCH) {
                continue; // computed from the history when queried
            }
            builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MetricStore.name(m)),
                    Serdes.String(), Serdes.ByteArray()).withCachingEnabled());
            KStream<String, Emitted> out = branches.input("metric-" + m.name(), m.types(), m.groupBy(), m.where(), m.reads())
                    .process(() -> MetricProcessor.of(m, config.analytics(), metrics), Named.as("metric-" + m.name()),
                            MetricStore.name(m));
            out.filter((k, v) -> !v.isLate(), Named.as("metric-" + m.name() + "-values"))
                    .mapValues((Emitted v) -> v.result(), Named.as("metric-" + m.name() + "-result"))
                    .to(topics.metrics(), Produced.with(Serdes.String(), serdes.metrics()).withName("metric-" + m.name() + "-sink"));
            out.filter((k, v) -> v.isLate(), Named.as("metric-" + m.name() + "-late"))
                    .mapValues((Emitted v) -> v.late(), Named.as("metric-" + m.name() + "-late-event"))
                    .to(topics.late(), Produced.with(Serdes.String(), serdes.events()).withName("metric-" + m.name() + "-late-sink"));
        }
        for (AnomalyRule r : definition.anomalies()) {
            builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(AnomalyProcessor.storeName(r)),
                    Serdes.String(), Serdes.ByteArray()).withCachingEnabled());
            toAlerts(branches.input("anomaly-" + r.name(), r.types(), r.key(), r.where(), r.reads())
                    .process(() -> new AnomalyProcessor(r, metrics), Named.as("anomaly-" + r.name()), AnomalyProcessor.storeName(r)),
                    "anomaly-" + r.name(), topics, serdes);
        }
        for (SequenceRule r : definition.sequences()) {
            builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SequenceProcessor.storeName(r)),
                    Serdes.String(), Serdes.ByteArray()).withCachingEnabled());
            List<String> types = new ArrayList<>(new TreeSet<>(List.of(r.first().type(), r.second().type())));
            Set<String> fields = new TreeSet<>();
            for (SequenceRule.Step step : List.of(r.first(), r.second())) {
                if (step.where() != null) {
                    fields.addAll(step.where().fields());
                }
            }
            toAlerts(branches.input("sequence-" + r.name(), types, r.key(), SequenceProcessor.relevance(r), fields)
                    .process(() -> new SequenceProcessor(r, config.analytics(), metrics),
                            Named.as("sequence-" + r.name()), SequenceProcessor.storeName(r)),
                    "sequence-" + r.name(), topics, serdes);
        }
    }

    private static void toAlerts(KStream<String, Alert> alerts, String name, TidelineProperties.Topics topics, TopicSerdes serdes) {
        alerts.to(topics.alerts(), Produced.with(Serdes.String(), serdes.alerts()).withName(name + "-sink"));
    }

    /** Builds each rule's input: its event types, keyed by its field, enriched with what it reads, filtered. */
    private static final class Branches {
        private final KStream<String, EventEnvelope> events;
        private final List<Enrichment> enrichments;
        private final Map<String, GlobalKTable<String, String>> tables;
        private final ReferenceData references;
        private final Serde<EventEnvelope> envelopes = AvroSerde.of(EventEnvelope.getClassSchema());

        Branches(KStream<String, EventEnvelope> events, List<Enrichment> enrichments,
                 Map<String, GlobalKTable<String, String>> tables, ReferenceData references) {
            this.events = events;
            this.enrichments = enrichments;
            this.tables = tables;
            this.references = references;
        }

        KStream<String, EnrichedEvent> input(String name, List<String> types, String keyField, Condition where, Set<String> reads) {
            return input(name, types, keyField, where == null ? null : where::test, reads);
        }

        /**
         * @param relevant which events the rule can use (its condition), judged before any repartition so that only
         *                 those cross it; null: all of its types
         * @param reads    the fields the rule reads: the enrichments among them are joined (before the repartition,
         *                 for {@code relevant}, and again after it, for the rule: a repartition topic carries the
         *                 event only)
         */
        KStream<String, EnrichedEvent> input(String name, List<String> types, String keyField,
                                             Predicate<Function<String, Object>> relevant,
                                             Set<String> reads) {
            List<Enrichment> used = enrichments.stream()
                    .filter(e -> reads.stream().anyMatch(f -> f.startsWith(e.name() + ".")))
                    .toList();
            KStream<String, EnrichedEvent> selected = enrich(events
                    .filter((k, e) -> types.contains(e.getType()), Named.as(name + "-select"))
                    .mapValues(EnrichedEvent::of, Named.as(name + "-view")), used, name);
            if (relevant != null) {
                selected = selected.filter((k, event) -> relevant.test(event::field), Named.as(name + "-where"));
            }
            if (keyField != null && keyField.equals("key")) {
                return selected;
            }
            KStream<String, EventEnvelope> rekeyed = keyField == null
                    ? selected.mapValues(EnrichedEvent::event, Named.as(name + "-event"))
                            .selectKey((k, e) -> MetricDefinition.GLOBAL, Named.as(name + "-global"))
                    : selected.filter((k, event) -> event.field(keyField) != null, Named.as(name + "-has-" + keyField))
                            .selectKey((k, event) -> event.field(keyField).toString(), Named.as(name + "-by-" + keyField))
                            .mapValues(EnrichedEvent::event, Named.as(name + "-event"));
            String topic = name + (keyField == null ? "-global" : "-by-" + keyField);
            return enrich(rekeyed.repartition(Repartitioned.with(Serdes.String(), envelopes).withName(topic))
                    .mapValues(EnrichedEvent::of, Named.as(name + "-rekeyed-view")), used, name + "-rekeyed");
        }

        private KStream<String, EnrichedEvent> enrich(KStream<String, EnrichedEvent> stream, List<Enrichment> used, String name) {
            for (Enrichment e : used) {
                stream = stream.leftJoin(tables.get(e.name()),
                        (k, event) -> {
                            Object id = event.field(e.joinOn());
                            return id == null ? null : id.toString();
                        },
                        (event, reference) -> event.with(e.name(), references.parse(reference)),
                        Named.as(name + "-join-" + e.name()));
            }
            return stream;
        }
    }
}
