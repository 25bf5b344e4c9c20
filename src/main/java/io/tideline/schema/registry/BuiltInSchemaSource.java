package io.tideline.schema.registry;

import java.util.Optional;

import org.apache.avro.Schema;

/** The registry served by this process, read directly (no HTTP round trip to itself). */
final class BuiltInSchemaSource implements SchemaSource {

    private final SchemaRegistry registry;

    BuiltInSchemaSource(SchemaRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Schema byId(int id) {
        try {
            return new Schema.Parser().parse(registry.schema(id));
        } catch (RegistryException e) {
            throw new SchemaNotFoundException(id, e);
        }
    }

    @Override
    public int register(String subject, Schema schema) {
        return registry.register(subject, schema.toString(), SchemaRegistry.AVRO);
    }

    @Override
    public int lookup(String subject, Schema schema) {
        return registry.lookup(subject, schema.toString(), SchemaRegistry.AVRO, false).id();
    }

    @Override
    public Optional<Registered> latest(String subject) {
        try {
            SchemaRegistry.SchemaVersion latest = registry.version(subject, "latest", false);
            return Optional.of(new Registered(latest.id(), new Schema.Parser().parse(latest.schema())));
        } catch (RegistryException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
