package io.tideline.schema.registry;

import java.io.IOException;
import java.util.stream.Collectors;

import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.DatumReader;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;

import io.tideline.model.EventFamily;
import io.tideline.schema.TrustedModelClasses;

/**
 * One registered version of an event family's payload schema, as a writer: events written with it are read as
 * the pipeline's own (compiled) version of the schema by Avro's schema resolution, so producers may be ahead of
 * or behind the pipeline. Whether the two are the same decides whether the payload as written must travel with
 * the event: a newer version's extra fields exist only there.
 */
public final class PayloadSchema {

    static {
        TrustedModelClasses.ensure();
    }

    /** Generic records of registered versions hold decimals as {@code BigDecimal}, as the generated classes do. */
    private static final GenericData GENERIC = new GenericData();

    static {
        GENERIC.addLogicalTypeConversion(new Conversions.DecimalConversion());
    }

    private final int id;
    private final Schema schema;
    private final EventFamily family;
    private final boolean compiled;
    private final SpecificDatumReader<SpecificRecord> asCompiled;
    private final GenericDatumReader<IndexedRecord> asWritten;
    private final GenericDatumWriter<IndexedRecord> writer;

    /** @throws IncompatibleSchemaException if the pipeline cannot read events written with this schema */
    PayloadSchema(int id, Schema schema, EventFamily family) {
        this.id = id;
        this.schema = schema;
        this.family = family;
        this.compiled = schema.equals(family.schema());
        if (!schema.getFullName().equals(family.schema().getFullName())) {
            throw new IncompatibleSchemaException("schema id " + id + " is " + schema.getFullName() + "; events of type "
                    + family.type() + " are " + family.schema().getFullName());
        }
        SchemaCompatibility.SchemaPairCompatibility readable =
                SchemaCompatibility.checkReaderWriterCompatibility(family.schema(), schema);
        if (readable.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new IncompatibleSchemaException("schema id " + id + " cannot be read as this pipeline's "
                    + family.schema().getFullName() + ": " + readable.getResult().getIncompatibilities().stream()
                    .map(i -> "field '" + CompatibilityChecker.fieldPath(family.schema(), i.getLocation()) + "': "
                            + i.getMessage()).collect(Collectors.joining("; ")));
        }
        this.asCompiled = new SpecificDatumReader<>(schema, family.schema(), SpecificData.getForSchema(family.schema()));
        this.asWritten = new GenericDatumReader<>(schema, schema, GENERIC);
        this.writer = new GenericDatumWriter<>(schema, compiled ? SpecificData.getForSchema(schema) : GENERIC);
    }

    /** Thrown when a registered schema is not one the pipeline can read events of its type with. */
    public static final class IncompatibleSchemaException extends RuntimeException {
        IncompatibleSchemaException(String message) {
            super(message);
        }
    }

    public int id() {
        return id;
    }

    public Schema schema() {
        return schema;
    }

    public EventFamily family() {
        return family;
    }

    /** Whether this is the very schema the pipeline was built with. */
    public boolean compiled() {
        return compiled;
    }

    /** The data model records of this schema are built with: the generated classes, or generic records. */
    public GenericData model() {
        return compiled ? SpecificData.getForSchema(schema) : GENERIC;
    }

    /** The payload in the wire format: magic byte, this schema's id, Avro binary. */
    public byte[] encode(IndexedRecord payload) {
        try {
            return WireFormat.encode(id, writer, payload);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot write a " + schema.getFullName() + " with schema id " + id + ": "
                    + e.getMessage(), e);
        }
    }

    /** Wire-format bytes of this schema read as the pipeline's version of the payload. */
    public SpecificRecord decode(byte[] framed) {
        return read(framed, asCompiled);
    }

    /** Wire-format bytes of this schema read as written, every field of this version included. */
    public IndexedRecord decodeAsWritten(byte[] framed) {
        return read(framed, asWritten);
    }

    private <T> T read(byte[] framed, DatumReader<T> reader) {
        try {
            return WireFormat.decode(framed, reader);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("not a valid " + schema.getFullName() + " (schema id " + id + "): "
                    + e.getMessage(), e);
        }
    }
}
