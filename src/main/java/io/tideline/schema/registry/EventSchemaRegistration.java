package io.tideline.schema.registry;

import java.util.Map;

import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import io.tideline.config.TidelineProperties;
import io.tideline.model.EventFamily;

/**
 * Registers each event family's payload schema, and the schema of each topic the pipeline writes, at start-up,
 * before the pipeline starts. Registering a schema a subject already holds is a no-op, so every instance does it on
 * every start; a schema that is incompatible with what the registry holds stops the start-up, with the registry's
 * reasons, before the pipeline produces anything with it.
 */
final class EventSchemaRegistration implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventSchemaRegistration.class);

    private final SchemaSource registry;
    private final String where;
    private final SubjectNameStrategy strategy;
    private final String topic;
    private final TopicSerdes topicSerdes;
    private volatile boolean registered;

    EventSchemaRegistration(SchemaSource registry, TopicSerdes topicSerdes, SubjectNameStrategy strategy,
                            TidelineProperties config) {
        this.registry = registry;
        this.topicSerdes = topicSerdes;
        this.where = config.registry().url().isBlank() ? "the built-in registry" : config.registry().url();
        this.strategy = strategy;
        this.topic = config.topics().ingest();
    }

    /** Before the pipeline starts (phase 100): what it writes must have its schemas in the registry first. */
    @Override
    public int getPhase() {
        return 50;
    }

    @Override
    public boolean isRunning() {
        return registered;
    }

    @Override
    public void stop() {
        registered = false;
    }

    @Override
    public void start() {
        try {
            registerAll();
            registered = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while registering schemas", e);
        }
    }

    private void registerAll() throws InterruptedException {
        for (EventFamily family : EventFamily.values()) {
            String subject = strategy.subject(topic, false, family.schema());
            int id = registerWhenReachable(subject, family.schema());
            log.info("event type {}: schema id {} under subject {} in {}", family.type(), id, subject, where);
        }
        for (Map.Entry<String, Schema> output : topicSerdes.schemasByTopic().entrySet()) {
            String subject = TopicSerdes.subject(output.getKey());
            int id = registerWhenReachable(subject, output.getValue());
            log.info("topic {}: schema id {} under subject {} in {}", output.getKey(), id, subject, where);
        }
    }

    private int registerWhenReachable(String subject, Schema schema) throws InterruptedException {
        return UntilReachable.call("registering " + subject + " in " + where, () -> registry.register(subject, schema));
    }
}
