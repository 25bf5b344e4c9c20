package io.tideline.definition;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

import io.tideline.model.EventFamily;

/**
 * What fields a definition may name for an event type: the CloudEvents attributes ({@code id type source subject
 * time key}), the payload's fields by name, {@code <map field>.<entry>} for map fields (a metric sample's tags), and
 * anything under an enrichment's name (reference data is schemaless JSON).
 */
final class EventFieldCatalog {

    static final Set<String> ATTRIBUTES = Set.of("id", "type", "source", "subject", "time", "key");

    private EventFieldCatalog() {
    }

    enum Kind {
        /** Reference data is schemaless JSON: any type, known only when an event is joined. */
        NUMBER, OTHER, UNKNOWN, MISSING
    }

    static Kind kind(EventFamily family, String path, Set<String> enrichments) {
        int dot = path.indexOf('.');
        String head = dot < 0 ? path : path.substring(0, dot);
        if (dot > 0 && enrichments.contains(head)) {
            return Kind.UNKNOWN;
        }
        if (dot < 0 && ATTRIBUTES.contains(path)) {
            return path.equals("time") ? Kind.NUMBER : Kind.OTHER;
        }
        Schema.Field field = family.schema().getField(head);
        if (field == null) {
            return Kind.MISSING;
        }
        Schema schema = nonNull(field.schema());
        if (dot > 0) {
            return schema.getType() == Schema.Type.MAP ? Kind.OTHER : Kind.MISSING;
        }
        return switch (schema.getType()) {
            case INT, LONG, FLOAT, DOUBLE -> Kind.NUMBER;
            case BYTES -> schema.getLogicalType() instanceof LogicalTypes.Decimal ? Kind.NUMBER : Kind.OTHER;
            default -> Kind.OTHER;
        };
    }

    static Optional<EventFamily> family(String type) {
        return EventFamily.forType(type);
    }

    static String fieldsOf(EventFamily family) {
        return String.join(", ", family.schema().getFields().stream().map(Schema.Field::name).toList());
    }

    private static Schema nonNull(Schema schema) {
        if (schema.getType() == Schema.Type.UNION) {
            List<Schema> types = schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
            return types.size() == 1 ? types.get(0) : schema;
        }
        return schema;
    }
}
