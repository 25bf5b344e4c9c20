package io.tideline.schema;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes an Avro record as plain JSON, the inverse of {@link JsonPayloadDecoder}: decimals as JSON numbers,
 * enums as strings, timestamps as RFC 3339, unions unwrapped. Used for the stored history and the REST API.
 */
public final class AvroJsonEncoder {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    public ObjectNode encode(IndexedRecord record) {
        return (ObjectNode) encodeValue(record, record.getSchema());
    }

    private JsonNode encodeValue(Object value, Schema schema) {
        if (value == null) {
            return NODES.nullNode();
        }
        switch (schema.getType()) {
            case UNION:
                return encodeValue(value, schema.getTypes().get(GenericData.get().resolveUnion(schema, value)));
            case RECORD:
                IndexedRecord record = (IndexedRecord) value;
                ObjectNode object = NODES.objectNode();
                for (Schema.Field field : schema.getFields()) {
                    object.set(field.name(), encodeValue(record.get(field.pos()), field.schema()));
                }
                return object;
            case MAP:
                ObjectNode map = NODES.objectNode();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                    map.set(e.getKey().toString(), encodeValue(e.getValue(), schema.getValueType()));
                }
                return map;
            case ARRAY:
                ArrayNode array = NODES.arrayNode();
                for (Object item : (Collection<?>) value) {
                    array.add(encodeValue(item, schema.getElementType()));
                }
                return array;
            default:
                return encodeScalar(value);
        }
    }

    private JsonNode encodeScalar(Object value) {
        if (value instanceof BigDecimal d) {
            return NODES.numberNode(d.stripTrailingZeros());
        }
        if (value instanceof Instant t) {
            return NODES.stringNode(t.toString());
        }
        if (value instanceof Double d) {
            return NODES.numberNode(d);
        }
        if (value instanceof Float f) {
            return NODES.numberNode(f);
        }
        if (value instanceof Long l) {
            return NODES.numberNode(l);
        }
        if (value instanceof Integer i) {
            return NODES.numberNode(i);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof ByteBuffer) {
            throw new IllegalArgumentException("raw bytes have no JSON form in Tideline's schemas");
        }
        return NODES.stringNode(value.toString());
    }
}
