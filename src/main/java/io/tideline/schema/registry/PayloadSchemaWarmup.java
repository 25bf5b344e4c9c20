package io.tideline.schema.registry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import io.tideline.model.EventFamily;

/**
 * Reads the current schema of every event family before ingest and the pipeline take events (phase 100 and the web
 * server after it). From then on {@link PayloadSchemas} only refreshes in the background, keeping the last version
 * while the registry is down — so a registry that is unreachable just when an event of a type arrives first (after
 * a restart, PostgreSQL still starting) can only delay the start, never turn a valid event into a dead letter.
 */
public final class PayloadSchemaWarmup implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PayloadSchemaWarmup.class);

    private final PayloadSchemas schemas;
    private volatile boolean ready;

    public PayloadSchemaWarmup(PayloadSchemas schemas) {
        this.schemas = schemas;
    }

    /** After the registration (50), before the pipeline (100). */
    @Override
    public int getPhase() {
        return 60;
    }

    @Override
    public void start() {
        try {
            for (EventFamily family : EventFamily.values()) {
                PayloadSchema current = UntilReachable.call("reading the schema of " + family.type(),
                        () -> schemas.current(family));
                log.info("events of type {} are validated against schema id {}", family.type(), current.id());
            }
            ready = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading event schemas", e);
        }
    }

    @Override
    public void stop() {
        ready = false;
    }

    @Override
    public boolean isRunning() {
        return ready;
    }
}
