package io.tideline.definition;

/** One thing wrong with a definition file, where it is (1-based line and column) and what. */
public record DefinitionProblem(String file, int line, int column, String path, String message) {

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + (path.isEmpty() ? "" : path + ": ") + message;
    }
}
