package io.tideline.schema.registry;

import java.util.Locale;

import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;

import io.tideline.config.TidelineProperties;
import io.tideline.model.EventFamily;

/**
 * Registers each event family's payload schema at start-up. Registering a schema a subject already holds is a
 * no-op, so every instance does it on every start; a schema that is incompatible with what the registry holds
 * stops the start-up, with the registry's reasons, before the pipeline produces anything with it.
 */
final class EventSchemaRegistration implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(EventSchemaRegistration.class);

    /** Registers a schema under a subject, answering its id: the built-in registry, or an external one by URL. */
    interface Registrar {
        int register(String subject, Schema schema);
    }

    private final Registrar registry;
    private final String where;
    private final SubjectNameStrategy strategy;
    private final String topic;

    EventSchemaRegistration(SchemaRegistry builtIn, TidelineProperties config) {
        String url = config.registry().url();
        if (url.isBlank()) {
            this.registry = (subject, schema) -> builtIn.register(subject, schema.toString(), SchemaRegistry.AVRO);
            this.where = "the built-in registry";
        } else {
            this.registry = new RegistryClient(url)::register;
            this.where = url;
        }
        this.strategy = SubjectNameStrategy.valueOf(config.registry().subjectStrategy().toUpperCase(Locale.ROOT));
        this.topic = config.topics().ingest();
    }

    @Override
    public void run(ApplicationArguments args) {
        for (EventFamily family : EventFamily.values()) {
            String subject = strategy.subject(topic, false, family.schema());
            int id = registry.register(subject, family.schema());
            log.info("event type {}: schema id {} under subject {} in {}", family.type(), id, subject, where);
        }
    }
}
