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

    /** One reason the schema is refused. */
    public record Problem(int version, String direction, String type, String location, String message) {
        @Override
        public String toString() {
            return String.format("%s (%s version %d) at '%s': %s", type, direction, version, location, message);
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
                collect(problems, previous.version(), "new schema cannot read data written with",
                        SchemaCompatibility.checkReaderWriterCompatibility(candidate, previous.schema()));
            }
            if (level.oldReadsNew()) {
                collect(problems, previous.version(), "data written with the new schema cannot be read with",
                        SchemaCompatibility.checkReaderWriterCompatibility(previous.schema(), candidate));
            }
        }
        return problems;
    }

    private static void collect(List<Problem> problems, int version, String direction,
                                SchemaCompatibility.SchemaPairCompatibility pair) {
        for (Incompatibility i : pair.getResult().getIncompatibilities()) {
            problems.add(new Problem(version, direction, i.getType().name(), i.getLocation(), i.getMessage()));
        }
    }

    /** A version of a subject as the checker needs it. */
    public record RegisteredSchema(int version, Schema schema) {
    }
}
