package io.tideline.schema.registry;

import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

import io.tideline.config.TidelineProperties;
import io.tideline.model.Alert;
import io.tideline.model.EventEnvelope;
import io.tideline.model.MetricResult;
import io.tideline.model.WindowAggregate;

/**
 * Serdes of the topics the pipeline writes for others to read — canonical events, window aggregates, alerts: Avro
 * in the registry's wire format, each topic's schema under {@code <topic>-value} (one record type per topic), read
 * back as the version this build knows. So any registry-aware consumer can read them, and a later Tideline can
 * change their schemas within the subject's compatibility rules while the records already written stay readable.
 */
public final class TopicSerdes {

    private final SchemaSource registry;
    private final TidelineProperties.Topics topics;

    public TopicSerdes(SchemaSource registry, TidelineProperties.Topics topics) {
        this.registry = registry;
        this.topics = topics;
    }

    public RegistryAvroSerde<EventEnvelope> events() {
        return of(EventEnvelope.getClassSchema());
    }

    public RegistryAvroSerde<WindowAggregate> aggregates() {
        return of(WindowAggregate.getClassSchema());
    }

    public RegistryAvroSerde<Alert> alerts() {
        return of(Alert.getClassSchema());
    }

    public RegistryAvroSerde<MetricResult> metrics() {
        return of(MetricResult.getClassSchema());
    }

    /** Each topic and the schema its records are written with, for registering them up front. */
    public Map<String, Schema> schemasByTopic() {
        return Map.of(topics.events(), EventEnvelope.getClassSchema(), topics.aggregates(), WindowAggregate.getClassSchema(),
                topics.alerts(), Alert.getClassSchema(), topics.metrics(), MetricResult.getClassSchema());
    }

    public static String subject(String topic) {
        return SubjectNameStrategy.TOPIC_NAME.subject(topic, false, null);
    }

    private <T extends SpecificRecord> RegistryAvroSerde<T> of(Schema schema) {
        return new RegistryAvroSerde<>(registry, SubjectNameStrategy.TOPIC_NAME, false, true, schema);
    }
}
