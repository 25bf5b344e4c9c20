package io.tideline.schema;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

import tools.jackson.databind.JsonNode;

/**
 * Validates a CloudEvent's JSON {@code data} against the Avro schema of its type and builds the typed record.
 * Unlike Avro's own JSON decoder it reports every violation with the field's path, which is what an HTTP
 * client needs to fix its request, and it accepts plain JSON (no Avro union wrapping) as clients write it.
 */
public final class JsonPayloadDecoder {

    static {
        TrustedModelClasses.ensure();
    }

    /** Decodes {@code data} into the generated class of {@code schema}, or throws naming every bad field. */
    public SpecificRecord decode(JsonNode data, Schema schema) {
        return (SpecificRecord) decode(data, schema, SpecificData.getForSchema(schema));
    }

    /**
     * Decodes {@code data} into records of {@code model} — generic records for a schema version no class was
     * generated from — or throws {@link SchemaViolationException} naming every bad field.
     */
    public IndexedRecord decode(JsonNode data, Schema schema, GenericData model) {
        List<FieldViolation> violations = new ArrayList<>();
        Object value = decodeValue(data, schema, "data", violations, model);
        if (!violations.isEmpty()) {
            throw new SchemaViolationException(violations);
        }
        return (IndexedRecord) value;
    }

    private Object decodeValue(JsonNode node, Schema schema, String path, List<FieldViolation> out, GenericData model) {
        LogicalType logical = schema.getLogicalType();
        if (logical instanceof LogicalTypes.Decimal decimal) {
            return decodeDecimal(node, decimal, path, out);
        }
        switch (schema.getType()) {
            case RECORD:
                return decodeRecord(node, schema, path, out, model);
            case UNION:
                return decodeUnion(node, schema, path, out, model);
            case STRING:
                if (node.isString()) {
                    return node.stringValue();
                }
                return fail(out, path, "expected a string, got " + describe(node));
            case ENUM:
                if (node.isString() && schema.hasEnumSymbol(node.stringValue())) {
                    return model.createEnum(node.stringValue(), schema);
                }
                return fail(out, path, "expected one of " + schema.getEnumSymbols() + ", got " + describe(node));
            case DOUBLE:
            case FLOAT:
                if (node.isNumber() && Double.isFinite(node.doubleValue())) {
                    return schema.getType() == Schema.Type.DOUBLE ? node.doubleValue() : (Object) (float) node.doubleValue();
                }
                return fail(out, path, "expected a finite number, got " + describe(node));
            case LONG:
            case INT:
                if (node.isIntegralNumber() && node.canConvertToLong()) {
                    long v = node.longValue();
                    if (schema.getType() == Schema.Type.LONG) {
                        return v;
                    }
                    if (v == (int) v) {
                        return (int) v;
                    }
                }
                return fail(out, path, "expected an integer (" + schema.getType().getName() + "), got " + describe(node));
            case BOOLEAN:
                if (node.isBoolean()) {
                    return node.booleanValue();
                }
                return fail(out, path, "expected true or false, got " + describe(node));
            case MAP:
                return decodeMap(node, schema, path, out, model);
            case ARRAY:
                return decodeArray(node, schema, path, out, model);
            case NULL:
                if (node.isNull()) {
                    return null;
                }
                return fail(out, path, "expected null, got " + describe(node));
            default:
                return fail(out, path, "schema type " + schema.getType() + " is not supported in JSON events");
        }
    }

    private Object decodeRecord(JsonNode node, Schema schema, String path, List<FieldViolation> out, GenericData model) {
        if (!node.isObject()) {
            return fail(out, path, "expected an object (" + schema.getName() + "), got " + describe(node));
        }
        IndexedRecord record = (IndexedRecord) model.newRecord(null, schema);
        for (Schema.Field field : schema.getFields()) {
            String fieldPath = path + "." + field.name();
            JsonNode child = node.get(field.name());
            if (child == null) {
                if (field.hasDefaultValue()) {
                    record.put(field.pos(), model.deepCopy(field.schema(), model.getDefaultValue(field)));
                } else if (isNullable(field.schema())) {
                    record.put(field.pos(), null);
                } else {
                    fail(out, fieldPath, "is required");
                }
                continue;
            }
            record.put(field.pos(), decodeValue(child, field.schema(), fieldPath, out, model));
        }
        for (String name : node.propertyNames()) {
            if (schema.getField(name) == null) {
                fail(out, path + "." + name, "is not a field of " + schema.getName() + " (fields: "
                        + schema.getFields().stream().map(Schema.Field::name).collect(Collectors.joining(", ")) + ")");
            }
        }
        return record;
    }

    private Object decodeUnion(JsonNode node, Schema schema, String path, List<FieldViolation> out, GenericData model) {
        if (node.isNull()) {
            if (isNullable(schema)) {
                return null;
            }
            return fail(out, path, "must not be null");
        }
        // Plain JSON has no union tag: the first branch the value fits is the one meant.
        List<FieldViolation> firstAttempt = null;
        for (Schema branch : schema.getTypes()) {
            if (branch.getType() == Schema.Type.NULL) {
                continue;
            }
            List<FieldViolation> attempt = new ArrayList<>();
            Object value = decodeValue(node, branch, path, attempt, model);
            if (attempt.isEmpty()) {
                return value;
            }
            if (firstAttempt == null) {
                firstAttempt = attempt;
            }
        }
        out.addAll(firstAttempt == null ? List.of(new FieldViolation(path, "no branch of the union fits")) : firstAttempt);
        return null;
    }

    private Object decodeMap(JsonNode node, Schema schema, String path, List<FieldViolation> out, GenericData model) {
        if (!node.isObject()) {
            return fail(out, path, "expected an object (map), got " + describe(node));
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            map.put(e.getKey(), decodeValue(e.getValue(), schema.getValueType(), path + "." + e.getKey(), out, model));
        }
        return map.isEmpty() ? new HashMap<>() : map;
    }

    private Object decodeArray(JsonNode node, Schema schema, String path, List<FieldViolation> out, GenericData model) {
        if (!node.isArray()) {
            return fail(out, path, "expected an array, got " + describe(node));
        }
        List<Object> list = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            list.add(decodeValue(node.get(i), schema.getElementType(), path + "[" + i + "]", out, model));
        }
        return list;
    }

    private Object decodeDecimal(JsonNode node, LogicalTypes.Decimal decimal, String path, List<FieldViolation> out) {
        BigDecimal value;
        if (node.isNumber()) {
            value = node.decimalValue();
        } else if (node.isString()) {
            try {
                value = new BigDecimal(node.stringValue());
            } catch (NumberFormatException e) {
                return fail(out, path, "expected a decimal number, got " + describe(node));
            }
        } else {
            return fail(out, path, "expected a decimal number, got " + describe(node));
        }
        value = value.stripTrailingZeros();
        if (value.scale() > decimal.getScale()) {
            return fail(out, path, "has more than " + decimal.getScale() + " decimal places");
        }
        value = value.setScale(decimal.getScale());
        if (value.precision() > decimal.getPrecision()) {
            return fail(out, path, "has more than " + decimal.getPrecision() + " significant digits");
        }
        return value;
    }

    private static boolean isNullable(Schema schema) {
        return schema.getType() == Schema.Type.NULL || schema.getType() == Schema.Type.UNION
                && schema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL);
    }

    private static Object fail(List<FieldViolation> out, String path, String reason) {
        out.add(new FieldViolation(path, reason));
        return null;
    }

    private static String describe(JsonNode node) {
        String text = node.toString();
        String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
        return node.getNodeType().name().toLowerCase() + " " + shown;
    }
}
