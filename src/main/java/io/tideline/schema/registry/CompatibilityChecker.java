package io.tideline.schema.registry;

import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/**
 * Decides whether a schema may join a subject under its compatibility level. Avro's own reader/writer resolution
 * rules ({@link SchemaCompatibility}) do the hard part; this class picks which pairs to check and says, for each
 * problem, what it is, where it is and against which version, in the words a producer's developer needs to fix it.
 */
public final class CompatibilityChecker {

    /**
     * One reason the schema is refused.
     * @param field the dotted path of the field concerned, resolved from {@code location} ("" at the top level)
     */
    public record Problem(int version, String direction, String type, String location, String field, String message) {
        @Override
        public String toString() {
            return String.format("%s (%s version %d) at '%s'%s: %s", type, direction, version, location,
                    field.isEmpty() ? "" : " (field '" + field + "')", message);
        }
    }

    /**
     * @param registered the subject's live versions, oldest first, with their version numbers
     * @return every problem found; empty when the schema is compatible
     */
    public List<Problem> check(Schema candidate, List<RegisteredSchema> registered, CompatibilityLevel level) {
        List<Problem> problems = new ArrayList<>();
        for (RegisteredSchema previous : level.checkedAgainst(registered)) {
            if (level.newReadsOld()) {
                collect(problems, previous.version(), "new schema cannot read data written with", candidate,
                        SchemaCompatibility.checkReaderWriterCompatibility(candidate, previous.schema()));
            }
            if (level.oldReadsNew()) {
                collect(problems, previous.version(), "data written with the new schema cannot be read with", previous.schema(),
                        SchemaCompatibility.checkReaderWriterCompatibility(previous.schema(), candidate));
            }
        }
        return problems;
    }

    private static void collect(List<Problem> problems, int version, String direction, Schema reader,
                                SchemaCompatibility.SchemaPairCompatibility pair) {
        for (Incompatibility i : pair.getResult().getIncompatibilities()) {
            problems.add(new Problem(version, direction, i.getType().name(), i.getLocation(), fieldPath(reader, i.getLocation()),
                    i.getMessage()));
        }
    }

    /**
     * Avro locates a problem by JSON pointer into the reader schema ({@code /fields/1/type/0}); people think in
     * field names ({@code note}). Unions, arrays and maps on the way are stepped through.
     */
    static String fieldPath(Schema reader, String location) {
        List<String> names = new ArrayList<>();
        Schema at = reader;
        String[] steps = location.split("/");
        for (int i = 1; i < steps.length && at != null; i++) {
            String step = steps[i];
            if (step.equals("fields") && i + 1 < steps.length && at.getType() == Schema.Type.RECORD) {
                int index = Integer.parseInt(steps[++i]);
                if (index >= at.getFields().size()) {
                    break;
                }
                Schema.Field field = at.getFields().get(index);
                names.add(field.name());
                at = field.schema();
            } else if (step.equals("items") && at.getType() == Schema.Type.ARRAY) {
                at = at.getElementType();
            } else if (step.equals("values") && at.getType() == Schema.Type.MAP) {
                at = at.getValueType();
            } else if (at.getType() == Schema.Type.UNION && step.chars().allMatch(Character::isDigit)) {
                int branch = Integer.parseInt(step);
                at = branch < at.getTypes().size() ? at.getTypes().get(branch) : null;
            }
        }
        return String.join(".", names);
    }

    /** A version of a subject as the checker needs it. */
    public record RegisteredSchema(int version, Schema schema) {
    }
}
