package io.tideline.definition;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One figure of a metric: {@code count}, {@code sum(f)}, {@code min(f)}, {@code max(f)}, {@code mean(f)},
 * {@code distinct(f)} (exact count of distinct values) or {@code pNN(f)} (percentile, e.g. {@code p99(amount)},
 * {@code p99.9(latency)}; 3 significant digits).
 */
public record Aggregation(Function function, String field, double percentile) {

    public enum Function {
        COUNT, SUM, MIN, MAX, MEAN, DISTINCT, PERCENTILE;

        boolean numeric() {
            return this != COUNT && this != DISTINCT;
        }
    }

    private static final Pattern FORM = Pattern.compile("([a-z]+|p\\d+(?:\\.\\d+)?)\\s*(?:\\(\\s*([A-Za-z_][A-Za-z0-9_.]*)\\s*\\))?");

    /** @throws IllegalArgumentException saying what form was expected */
    public static Aggregation parse(String text) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not an aggregation; expected count, sum(field), min(field), "
                    + "max(field), mean(field), distinct(field) or pNN(field)");
        }
        String name = m.group(1);
        String field = m.group(2);
        if (name.equals("count")) {
            if (field != null) {
                throw new IllegalArgumentException("count takes no field (it counts events)");
            }
            return new Aggregation(Function.COUNT, null, 0);
        }
        Function function;
        double percentile = 0;
        if (name.startsWith("p") && Character.isDigit(name.charAt(1))) {
            percentile = Double.parseDouble(name.substring(1));
            if (percentile <= 0 || percentile > 100) {
                throw new IllegalArgumentException(name + ": a percentile is between 0 (excluded) and 100");
            }
            function = Function.PERCENTILE;
        } else {
            try {
                function = Function.valueOf(name.toUpperCase());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown aggregation \"" + name + "\"; expected count, sum, min, max, mean, "
                        + "distinct or pNN");
            }
        }
        if (field == null) {
            throw new IllegalArgumentException(name + " needs a field, e.g. " + name + "(amount)");
        }
        return new Aggregation(function, field, percentile);
    }

    /** The figure's name in results: {@code count}, {@code sum_amount}, {@code p99_amount}, {@code p99_9_amount}. */
    public String name() {
        if (function == Function.COUNT) {
            return "count";
        }
        String prefix = function == Function.PERCENTILE
                ? "p" + (percentile == Math.rint(percentile) ? Long.toString((long) percentile) : Double.toString(percentile)).replace('.', '_')
                : function.name().toLowerCase();
        return prefix + "_" + field.replace('.', '_');
    }

    public boolean numeric() {
        return function.numeric();
    }
}
