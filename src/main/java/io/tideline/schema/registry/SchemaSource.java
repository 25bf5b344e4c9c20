package io.tideline.schema.registry;

import java.util.Optional;

import org.apache.avro.Schema;

/**
 * Where schemas are registered and read: the registry built into this process, or any Confluent-compatible one by
 * URL. Ids never change once assigned, so callers may cache what they learn.
 */
public interface SchemaSource {

    /** A schema as registered: its global id and the schema. */
    record Registered(int id, Schema schema) {
    }

    /** The registry answered that it has no schema with the id asked for (unlike not answering at all). */
    final class SchemaNotFoundException extends RuntimeException {
        public SchemaNotFoundException(int id, Throwable cause) {
            super("schema id " + id + " is not in the registry", cause);
        }
    }

    /**
     * The schema with this id; {@link SchemaNotFoundException} if there is none, any other {@link RuntimeException}
     * if the registry cannot be reached.
     */
    Schema byId(int id);

    /** The newest live version under the subject; empty if the subject has none. */
    Optional<Registered> latest(String subject);

    /** Registers the schema under the subject unless it is there already; either way, its id. */
    int register(String subject, Schema schema);

    /** The id of a schema registered under the subject; a {@link RuntimeException} if it is not. */
    int lookup(String subject, Schema schema);
}
