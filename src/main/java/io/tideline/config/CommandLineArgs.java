package io.tideline.config;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** {@code --name value} options of Tideline's command-line tools (load generator, chaos run, local servers). */
public final class CommandLineArgs {

    private static final Pattern OPTION = Pattern.compile("--[a-z][a-z-]*");

    private CommandLineArgs() {
    }

    /**
     * Prints {@code usage} and exits on {@code --help}, and exits with status 2 on an option the tool does not take:
     * a typo must not become a run with the defaults (for the benchmark, minutes of a run nobody asked for). The
     * options taken are those the usage names, so the two cannot disagree.
     */
    public static void exitUnlessUnderstood(String[] args, String usage) {
        Optional<String> unknown = unknownOption(args, optionsIn(usage));
        if (unknown.isEmpty()) {
            return;
        }
        if (unknown.get().equals("--help") || unknown.get().equals("-h")) {
            System.out.println(usage);
            System.exit(0);
        }
        System.err.println("unknown option: " + unknown.get() + "\n" + usage);
        System.exit(2);
    }

    static Set<String> optionsIn(String usage) {
        return OPTION.matcher(usage).results().map(m -> m.group()).collect(Collectors.toSet());
    }

    /** The first argument standing where an option should, that is not one of {@code options}. */
    static Optional<String> unknownOption(String[] args, Set<String> options) {
        // Every option takes a value, which may itself begin with "--" (--app "--tideline.x=y"): skip it.
        for (int i = 0; i < args.length; i += 2) {
            if (!options.contains(args[i])) {
                return Optional.of(args[i]);
            }
        }
        return Optional.empty();
    }

    public static String value(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    public static int intValue(String[] args, String name, int fallback) {
        String value = value(args, name, null);
        return value == null ? fallback : Integer.parseInt(value);
    }
}
