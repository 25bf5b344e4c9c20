package io.tideline.process.analytics;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A sequence rule's first event, waiting for its second (or for its time to run out): its id, type and time, and
 * the fields the second step's condition reads as {@code first.<field>}, captured when it arrived.
 */
record PendingFirst(String eventId, String type, long time, Map<String, Object> fields) {

    static byte[] encode(List<PendingFirst> pending) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(pending.size());
            for (PendingFirst p : pending) {
                out.writeUTF(p.eventId);
                out.writeUTF(p.type);
                out.writeLong(p.time);
                out.writeInt(p.fields.size());
                for (Map.Entry<String, Object> e : p.fields.entrySet()) {
                    out.writeUTF(e.getKey());
                    Object v = e.getValue();
                    if (v == null) {
                        out.writeByte('0');
                    } else if (v instanceof BigDecimal d) {
                        out.writeByte('n');
                        out.writeUTF(d.toString());
                    } else if (v instanceof Boolean b) {
                        out.writeByte(b ? 't' : 'f');
                    } else {
                        out.writeByte('s');
                        out.writeUTF(v.toString());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static List<PendingFirst> decode(byte[] bytes) {
        List<PendingFirst> pending = new ArrayList<>();
        if (bytes == null) {
            return pending;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String id = in.readUTF();
                String type = in.readUTF();
                long time = in.readLong();
                int k = in.readInt();
                Map<String, Object> fields = new HashMap<>();
                for (int j = 0; j < k; j++) {
                    String name = in.readUTF();
                    byte tag = in.readByte();
                    fields.put(name, switch (tag) {
                        case 'n' -> new BigDecimal(in.readUTF());
                        case 's' -> in.readUTF();
                        case 't' -> Boolean.TRUE;
                        case 'f' -> Boolean.FALSE;
                        default -> null;
                    });
                }
                pending.add(new PendingFirst(id, type, time, fields));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pending;
    }
}
