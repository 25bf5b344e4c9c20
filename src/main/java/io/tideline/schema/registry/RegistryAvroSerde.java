package io.tideline.schema.registry;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import io.tideline.schema.TrustedModelClasses;

/**
 * Avro in Confluent's wire format ({@link WireFormat}), its schemas in a registry: what Confluent's
 * {@code KafkaAvroSerializer}/{@code KafkaAvroDeserializer} do, for generated (specific) and generic records.
 * The serializer registers the record's schema under the strategy's subject (or, with auto-registration off, only
 * looks it up, so an unregistered schema fails fast). The deserializer reads with the writer's schema, found by id,
 * resolved to the reader schema it was given, so records written with older or newer versions both read as the
 * version this code knows; without a reader schema, records come back as written.
 */
public final class RegistryAvroSerde<T extends GenericContainer> implements Serde<T> {

    static {
        TrustedModelClasses.ensure();
    }

    private final SchemaSource registry;
    private final SubjectNameStrategy strategy;
    private final boolean isKey;
    private final boolean autoRegister;
    private final Schema readerSchema;
    private final Map<Integer, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();
    /** What a record's schema was written as in a topic: hit on every record, so keyed by the schema instance. */
    private final Map<Written, Writer<T>> writers = new ConcurrentHashMap<>();

    private record Written(String topic, Schema schema) {
    }

    private record Writer<T>(int id, SpecificDatumWriter<T> writer) {
    }

    /** @param readerSchema the schema records are read as; {@code null} to read each record with its writer's schema */
    public RegistryAvroSerde(SchemaSource registry, SubjectNameStrategy strategy, boolean isKey, boolean autoRegister,
                             Schema readerSchema) {
        this.registry = registry;
        this.strategy = strategy;
        this.isKey = isKey;
        this.autoRegister = autoRegister;
        this.readerSchema = readerSchema;
    }

    public byte[] serialize(String topic, T value) {
        Schema schema = value.getSchema();
        try {
            Writer<T> writer = writers.computeIfAbsent(new Written(topic, schema), w -> {
                String subject = strategy.subject(topic, isKey, schema);
                int id = autoRegister ? registry.register(subject, schema) : registry.lookup(subject, schema);
                return new Writer<>(id, new SpecificDatumWriter<>(schema));
            });
            return WireFormat.encode(writer.id(), writer.writer(), value);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot write a " + schema.getFullName() + " record: " + e.getMessage(), e);
        }
    }

    public T deserialize(byte[] data) {
        int id = WireFormat.schemaId(data);
        SpecificDatumReader<T> reader = readers.get(id);
        if (reader == null) {
            Schema writer;
            try {
                writer = registry.byId(id);
            } catch (SchemaSource.SchemaNotFoundException e) {
                throw new SerializationException(e.getMessage(), e);
            }
            // Any other failure means the registry did not answer: no fault of the record, which must not be treated as
            // unreadable (dead-lettered) for it; the exception goes up as it is, for the caller to retry.
            reader = readerSchema == null ? new SpecificDatumReader<>(writer)
                    : new SpecificDatumReader<>(writer, readerSchema, SpecificData.getForSchema(readerSchema));
            readers.putIfAbsent(id, reader);
        }
        try {
            return WireFormat.decode(data, reader);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot read a record written with schema id " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : serialize(topic, value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, data) -> data == null ? null : deserialize(data);
    }
}
