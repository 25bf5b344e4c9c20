package io.tideline.schema.registry;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;

/**
 * Remembers what a registry — the built-in one or a remote one — answered that can never change: a schema's id
 * under a subject, and the schema of an id (ids are never reassigned). So the schemas registered at start-up are not
 * asked for again when the first record of each topic is written — with the built-in registry that was a PostgreSQL
 * transaction on the stream thread, and PostgreSQL restarting at that moment made the record a dead letter
 * ({@code ./tideline chaos} caught it). The newest version under a subject does change, so {@link #latest} always
 * asks (and remembers the id's schema it answers with).
 */
final class CachingSchemaSource implements SchemaSource {

    private record Entry(String subject, Schema schema) {
    }

    private final SchemaSource source;
    private final Map<Entry, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();

    CachingSchemaSource(SchemaSource source) {
        this.source = source;
    }

    @Override
    public Schema byId(int id) {
        return schemas.computeIfAbsent(id, source::byId);
    }

    @Override
    public Optional<Registered> latest(String subject) {
        Optional<Registered> latest = source.latest(subject);
        latest.ifPresent(registered -> remember(registered.schema(), registered.id()));
        return latest;
    }

    @Override
    public int register(String subject, Schema schema) {
        return remember(schema, ids.computeIfAbsent(new Entry(subject, schema), e -> source.register(subject, schema)));
    }

    /** A schema registered (or looked up) before is there: a lookup is a register that may not add. */
    @Override
    public int lookup(String subject, Schema schema) {
        return remember(schema, ids.computeIfAbsent(new Entry(subject, schema), e -> source.lookup(subject, schema)));
    }

    private int remember(Schema schema, int id) {
        schemas.putIfAbsent(id, schema);
        return id;
    }
}
