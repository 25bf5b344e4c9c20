package io.tideline.config;

/** {@code --name value} options of Tideline's command-line tools (load generator, chaos run, local servers). */
public final class CommandLineArgs {

    private CommandLineArgs() {
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
