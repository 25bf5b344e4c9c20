package io.tideline.devstack;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A part's JVM options: its defaults with the caller's on top. The JVM refuses two collectors, so a caller's
 * collector replaces the default one instead of joining it; a caller's heap size (or any other option) comes after
 * the default and so wins, as the JVM takes the last of a repeated option.
 */
public record JvmOptions(List<String> defaults, List<String> overrides) {

    public JvmOptions {
        defaults = List.copyOf(defaults);
        overrides = List.copyOf(overrides);
    }

    public static JvmOptions of(String... defaults) {
        return new JvmOptions(List.of(defaults), List.of());
    }

    public JvmOptions with(List<String> more) {
        List<String> all = new ArrayList<>(overrides);
        all.addAll(more);
        return new JvmOptions(defaults, all);
    }

    public List<String> resolved() {
        Predicate<String> collector = option -> option.matches("-XX:[+-]Use\\w+GC");
        boolean ownCollector = overrides.stream().anyMatch(collector);
        List<String> options = new ArrayList<>();
        defaults.stream().filter(option -> !(ownCollector && collector.test(option))).forEach(options::add);
        options.addAll(overrides);
        return options;
    }
}
