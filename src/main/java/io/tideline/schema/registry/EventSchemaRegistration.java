package io.tideline.schema.registry;

import java.time.Duration;
import java.util.Map;

import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;

import io.tideline.config.TidelineProperties;
import io.tideline.model.EventFamily;

/**
 * Registers each event family's payload schema, and the schema of each topic the pipeline writes, at start-up. Registering a schema a subject already holds is a
 * no-op, so every instance does it on every start; a schema that is incompatible with what the registry holds
 * stops the start-up, with the registry's reasons, before the pipeline produces anything with it.
 */
final class EventSchemaRegistration implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(EventSchemaRegistration.class);
    /** How long a start may wait for the registry's store (or an external registry) to answer at all. */
    private static final Duration UNAVAILABLE_FOR_AT_MOST = Duration.ofMinutes(2);
    private static final Duration RETRY_EVERY = Duration.ofSeconds(1);

    private final SchemaSource registry;
    private final String where;
    private final SubjectNameStrategy strategy;
    private final String topic;
    private final TopicSerdes topicSerdes;

    EventSchemaRegistration(SchemaSource registry, TopicSerdes topicSerdes, SubjectNameStrategy strategy,
                            TidelineProperties config) {
        this.registry = registry;
        this.topicSerdes = topicSerdes;
        this.where = config.registry().url().isBlank() ? "the built-in registry" : config.registry().url();
        this.strategy = strategy;
        this.topic = config.topics().ingest();
    }

    @Override
    public void run(ApplicationArguments args) throws InterruptedException {
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

    /**
     * A refusal (an incompatible schema) stops the start at once; an unreachable store — PostgreSQL restarting
     * just as Tideline starts — is waited out, as the sinks wait out theirs, rather than failing the whole process.
     */
    private int registerWhenReachable(String subject, Schema schema) throws InterruptedException {
        long deadline = System.nanoTime() + UNAVAILABLE_FOR_AT_MOST.toNanos();
        while (true) {
            try {
                return registry.register(subject, schema);
            } catch (RegistryException refused) {
                throw refused;
            } catch (RegistryClient.RegistryClientException e) {
                if (e.errorCode() < 50000 || System.nanoTime() > deadline) {
                    throw e;
                }
                log.warn("registering {} in {}: {}; retrying", subject, where, e.getMessage());
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                log.warn("registering {} in {}: {}; retrying", subject, where, e.toString());
            }
            Thread.sleep(RETRY_EVERY.toMillis()); // a backoff between attempts, not a wait for a condition
        }
    }
}
