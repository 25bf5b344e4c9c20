package io.tideline.schema.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Confluent's framing of a Kafka record value: magic byte 0, the schema's registry id as a big-endian int, then
 * the Avro binary encoding. Readers find the writer's schema by the id.
 */
public final class WireFormat {

    static final byte MAGIC = 0;
    public static final int HEADER = 5;

    private WireFormat() {
    }

    static void writeHeader(ByteBuffer out, int schemaId) {
        out.put(MAGIC).putInt(schemaId);
    }

    /** The value framed: header with the schema id, then its Avro binary encoding by {@code writer}. */
    static <T> byte[] encode(int schemaId, DatumWriter<T> writer, T value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        writeHeader(header, schemaId);
        bytes.write(header.array());
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
        writer.write(value, encoder);
        encoder.flush();
        return bytes.toByteArray();
    }

    /** Avro binary already encoded with the schema of {@code schemaId}, framed. */
    public static byte[] frame(int schemaId, byte[] avro) {
        ByteBuffer framed = ByteBuffer.allocate(HEADER + avro.length);
        writeHeader(framed, schemaId);
        framed.put(avro);
        return framed.array();
    }

    /** Framed bytes held in an Avro {@code bytes} field (a {@link ByteBuffer}), as an array; the buffer is left as it was. */
    public static byte[] copyOf(ByteBuffer framed) {
        ByteBuffer view = framed.duplicate();
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        return bytes;
    }

    /** The Avro body of framed bytes, read by {@code reader}. */
    static <T> T decode(byte[] framed, DatumReader<T> reader) throws IOException {
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(framed, HEADER, framed.length - HEADER, null);
        return reader.read(null, decoder);
    }

    /** Whether {@code data} starts as Confluent-framed bytes do (JSON, for one, never starts with a zero byte). */
    public static boolean isFramed(byte[] data) {
        return data != null && data.length >= HEADER && data[0] == MAGIC;
    }

    /** The schema id of framed bytes. */
    public static int schemaId(byte[] data) {
        if (!isFramed(data)) {
            throw new SerializationException("not in the schema registry wire format: "
                    + (data == null || data.length == 0 ? "no bytes" : "first byte " + data[0] + ", expected magic byte 0"));
        }
        return ByteBuffer.wrap(data, 1, 4).getInt();
    }
}
