package io.tideline.schema.registry;

import java.util.Optional;

import org.apache.avro.Schema;

/** Where schemas are read from: the registry built into this process, or any Confluent-compatible one by URL. */
public interface SchemaSource {

    /** A schema as registered: its global id and the schema. */
    record Registered(int id, Schema schema) {
    }

    /** The schema with this id; a {@link RuntimeException} if there is none or the registry cannot be reached. */
    Schema byId(int id);

    /** The newest live version under the subject; empty if the subject has none. */
    Optional<Registered> latest(String subject);
}
