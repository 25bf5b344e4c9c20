package io.tideline.schema.registry;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tideline.model.EventFamily;

/**
 * The registered payload schemas of the event families, as ingest and the pipeline use them on every event: the
 * current (newest) version of a family, that JSON events are validated against, and any version by id, that
 * Avro events name. Versions by id never change and are kept for good; the current version is re-read in the
 * background once it is older than the refresh interval, so a registration reaches ingest within that interval
 * and a registry outage never stalls an event — the last version known stays in use.
 */
public final class PayloadSchemas {

    private static final Logger log = LoggerFactory.getLogger(PayloadSchemas.class);

    /** The registry has no schema for a family, or cannot be reached to say which. */
    public static final class SchemaUnavailableException extends RuntimeException {
        SchemaUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private record Current(PayloadSchema schema, long readAtNanos, AtomicBoolean refreshing) {
    }

    private final SchemaSource source;
    private final SubjectNameStrategy strategy;
    private final String topic;
    private final long refreshNanos;
    private final Map<Integer, PayloadSchema> byId = new ConcurrentHashMap<>();
    private final Map<EventFamily, Current> current = new ConcurrentHashMap<>();
    private final ExecutorService refresher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tideline-schema-refresh");
        t.setDaemon(true);
        return t;
    });

    /** @param topic the ingest topic, for subject strategies that name it */
    public PayloadSchemas(SchemaSource source, SubjectNameStrategy strategy, String topic, Duration refresh) {
        this.source = source;
        this.strategy = strategy;
        this.topic = topic;
        this.refreshNanos = refresh.toNanos();
    }

    public String subjectOf(EventFamily family) {
        return strategy.subject(topic, false, family.schema());
    }

    /** The family's newest registered version that this pipeline can read. */
    public PayloadSchema current(EventFamily family) {
        Current known = current.get(family);
        if (known == null) {
            return read(family).schema();
        }
        if (System.nanoTime() - known.readAtNanos() > refreshNanos && known.refreshing().compareAndSet(false, true)) {
            refresher.execute(() -> {
                try {
                    read(family);
                } catch (RuntimeException e) {
                    log.warn("could not refresh the schema of {} (still using id {}): {}", family.type(),
                            known.schema().id(), e.getMessage());
                    current.put(family, new Current(known.schema(), System.nanoTime(), new AtomicBoolean()));
                }
            });
        }
        return known.schema();
    }

    /** A version by id, checked to be one of the family's that the pipeline can read. */
    public PayloadSchema byId(int id, EventFamily family) {
        PayloadSchema schema = byId.get(id);
        if (schema == null) {
            try {
                schema = new PayloadSchema(id, source.byId(id), family);
            } catch (PayloadSchema.IncompatibleSchemaException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new SchemaUnavailableException("schema id " + id + ": " + e.getMessage(), e);
            }
            byId.putIfAbsent(id, schema);
        } else if (schema.family() != family) {
            throw new PayloadSchema.IncompatibleSchemaException("schema id " + id + " is "
                    + schema.schema().getFullName() + ", not a schema of events of type " + family.type());
        }
        return schema;
    }

    private Current read(EventFamily family) {
        String subject = subjectOf(family);
        SchemaSource.Registered latest;
        try {
            latest = source.latest(subject).orElseThrow(() -> new SchemaUnavailableException(
                    "no schema is registered under subject " + subject + " for events of type " + family.type(), null));
        } catch (SchemaUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SchemaUnavailableException("the schema registry could not say the schema of " + family.type()
                    + " (subject " + subject + "): " + e.getMessage(), e);
        }
        PayloadSchema schema = byId.computeIfAbsent(latest.id(), id -> new PayloadSchema(id, latest.schema(), family));
        Current fresh = new Current(schema, System.nanoTime(), new AtomicBoolean());
        Current before = current.put(family, fresh);
        if (before != null && before.schema().id() != schema.id()) {
            log.info("events of type {} are now validated against schema id {} (was {})", family.type(), schema.id(),
                    before.schema().id());
        }
        return fresh;
    }
}
