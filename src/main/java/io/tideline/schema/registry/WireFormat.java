package io.tideline.schema.registry;

import java.nio.ByteBuffer;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Confluent's framing of a Kafka record value: magic byte 0, the schema's registry id as a big-endian int, then
 * the Avro binary encoding. Readers find the writer's schema by the id.
 */
public final class WireFormat {

    static final byte MAGIC = 0;
    static final int HEADER = 5;

    private WireFormat() {
    }

    static void writeHeader(ByteBuffer out, int schemaId) {
        out.put(MAGIC).putInt(schemaId);
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
