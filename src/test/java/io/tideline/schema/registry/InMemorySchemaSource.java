package io.tideline.schema.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.avro.Schema;

import io.tideline.model.EventFamily;

/**
 * Schemas held in memory, for unit tests that exercise schema resolution without a registry service (the
 * end-to-end tests use the real one): each family's compiled schema is registered at start under its record name,
 * with ids 1 to 4 in the families' order.
 */
public final class InMemorySchemaSource implements SchemaSource {

    private final List<Schema> byId = new ArrayList<>();
    private final Map<String, List<Integer>> subjects = new LinkedHashMap<>();

    public InMemorySchemaSource() {
        for (EventFamily family : EventFamily.values()) {
            register(family.schema().getFullName(), family.schema());
        }
    }

    /** Registers the schema as the subject's new version unless it is its newest already; answers its id. */
    @Override
    public synchronized int register(String subject, Schema schema) {
        Optional<Registered> latest = latest(subject);
        if (latest.isPresent() && latest.get().schema().equals(schema)) {
            return latest.get().id();
        }
        byId.add(schema);
        int id = byId.size();
        subjects.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
        return id;
    }

    @Override
    public synchronized int lookup(String subject, Schema schema) {
        for (int id : subjects.getOrDefault(subject, List.of())) {
            if (byId(id).equals(schema)) {
                return id;
            }
        }
        throw new IllegalArgumentException("not registered under " + subject);
    }

    @Override
    public synchronized Schema byId(int id) {
        if (id < 1 || id > byId.size()) {
            throw new SchemaNotFoundException(id, null);
        }
        return byId.get(id - 1);
    }

    @Override
    public synchronized Optional<Registered> latest(String subject) {
        List<Integer> versions = subjects.get(subject);
        if (versions == null) {
            return Optional.empty();
        }
        int id = versions.get(versions.size() - 1);
        return Optional.of(new Registered(id, byId(id)));
    }

    /** Payload schemas over this source, as ingest and the pipeline use them (newest versions re-read at once). */
    public PayloadSchemas payloadSchemas() {
        return new PayloadSchemas(this, SubjectNameStrategy.RECORD_NAME, "tideline.ingest", Duration.ZERO);
    }
}
