package io.tideline.definition;

import java.util.List;
import java.util.stream.Collectors;

/** A definition file that cannot run, with every problem found (not just the first). */
public class InvalidDefinitionException extends RuntimeException {

    private final transient List<DefinitionProblem> problems;

    public InvalidDefinitionException(List<DefinitionProblem> problems) {
        super(problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + " in the pipeline definition:\n"
                + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<DefinitionProblem> problems() {
        return problems;
    }
}
