package io.tideline.definition;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code ./tideline validate [FILE]}: checks a pipeline definition without starting anything — the same checks
 * start-up makes — and says what it declares, or every problem with its line. Exit status 0 if valid, 1 if not,
 * 2 on wrong usage.
 */
public final class ValidateCommand {

    static final String DEFAULT_FILE = "config/tideline.yml";

    private ValidateCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 1 || (args.length == 1 && args[0].startsWith("-"))) {
            err.println("usage: ./tideline validate [FILE]   (default " + DEFAULT_FILE + ")");
            return 2;
        }
        Path file = Path.of(args.length == 1 ? args[0] : DEFAULT_FILE);
        try {
            PipelineDefinition d = DefinitionParser.load(file);
            out.println(file + ": valid");
            d.enrichments().forEach(e -> out.println("  enrichment " + e.name() + ": " + e.topic() + " joined on " + e.joinOn()));
            d.metrics().forEach(m -> out.println("  metric     " + m.name() + " [" + m.lane().label() + "]: "
                    + m.window().kind().name().toLowerCase() + " windows of " + String.join(", ", m.types())
                    + (m.groupBy() == null ? "" : " by " + m.groupBy())));
            d.anomalies().forEach(a -> out.println("  anomaly    " + a.name() + " [" + a.lane().label() + "]: "
                    + a.detector().getClass().getSimpleName().toLowerCase() + " per " + a.key()));
            d.sequences().forEach(s -> out.println("  sequence   " + s.name() + " [" + s.lane().label() + "]: " + s.first().type()
                    + (s.isAbsence() ? " not followed by " : " then ") + s.second().type() + " within " + s.within()));
            return 0;
        } catch (InvalidDefinitionException e) {
            err.println(e.getMessage());
            return 1;
        }
    }
}
