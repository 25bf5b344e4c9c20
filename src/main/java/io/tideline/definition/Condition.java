package io.tideline.definition;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A boolean expression over an event's fields, as written in a definition's {@code where}:
 * comparisons ({@code == != < <= > >=}, {@code in [..]}) of fields and literals, joined by {@code and}, {@code or},
 * {@code not} and parentheses. Parsed once at start-up; {@link #test} is evaluated per event.
 * <p>Numbers compare as numbers whatever their Java type (an Avro decimal against {@code 100}), enums as their
 * symbol; any comparison with a missing field is false except {@code == null} / {@code != null}.
 */
public final class Condition {

    private final String source;
    private final Node root;

    private Condition(String source, Node root) {
        this.source = source;
        this.root = root;
    }

    /** @throws ConditionSyntaxException naming the column (1-based) where the text stops making sense */
    public static Condition parse(String text) {
        return new Condition(text, new Parser(text).parse());
    }

    public boolean test(Function<String, Object> fields) {
        return root.test(fields);
    }

    /** Every field the expression reads. */
    public Set<String> fields() {
        Set<String> fields = new TreeSet<>();
        root.collect(fields);
        return fields;
    }

    @Override
    public String toString() {
        return source;
    }

    /** A syntax error at a column of the expression. */
    public static final class ConditionSyntaxException extends RuntimeException {
        private final int column;

        ConditionSyntaxException(String message, int column) {
            super(message);
            this.column = column;
        }

        public int column() {
            return column;
        }
    }

    private interface Node {
        boolean test(Function<String, Object> fields);

        void collect(Set<String> fields);
    }

    private interface Operand {
        Object value(Function<String, Object> fields);
    }

    private record Field(String path) implements Operand {
        @Override
        public Object value(Function<String, Object> fields) {
            return fields.apply(path);
        }
    }

    private record Literal(Object value) implements Operand {
        @Override
        public Object value(Function<String, Object> fields) {
            return value;
        }
    }

    private record Or(Node left, Node right) implements Node {
        public boolean test(Function<String, Object> f) {
            return left.test(f) || right.test(f);
        }

        public void collect(Set<String> fields) {
            left.collect(fields);
            right.collect(fields);
        }
    }

    private record And(Node left, Node right) implements Node {
        public boolean test(Function<String, Object> f) {
            return left.test(f) && right.test(f);
        }

        public void collect(Set<String> fields) {
            left.collect(fields);
            right.collect(fields);
        }
    }

    private record Not(Node inner) implements Node {
        public boolean test(Function<String, Object> f) {
            return !inner.test(f);
        }

        public void collect(Set<String> fields) {
            inner.collect(fields);
        }
    }

    /** A field (or literal) standing alone: true when it is boolean true. */
    private record Truth(Operand operand) implements Node {
        public boolean test(Function<String, Object> f) {
            return Boolean.TRUE.equals(operand.value(f));
        }

        public void collect(Set<String> fields) {
            if (operand instanceof Field field) {
                fields.add(field.path());
            }
        }
    }

    private record Comparison(Operand left, String op, Operand right) implements Node {
        public boolean test(Function<String, Object> f) {
            Object a = normalize(left.value(f));
            Object b = normalize(right.value(f));
            if (op.equals("==")) {
                return equal(a, b);
            }
            if (op.equals("!=")) {
                return !equal(a, b);
            }
            if (a == null || b == null) {
                return false;
            }
            int c;
            if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
                c = x.compareTo(y);
            } else if (a instanceof String x && b instanceof String y) {
                c = x.compareTo(y);
            } else {
                return false;
            }
            return switch (op) {
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                default -> c >= 0;
            };
        }

        public void collect(Set<String> fields) {
            for (Operand o : List.of(left, right)) {
                if (o instanceof Field field) {
                    fields.add(field.path());
                }
            }
        }
    }

    private record In(Operand left, List<Object> values, boolean negated) implements Node {
        public boolean test(Function<String, Object> f) {
            Object a = normalize(left.value(f));
            boolean found = values.stream().anyMatch(v -> equal(a, normalize(v)));
            return found != negated;
        }

        public void collect(Set<String> fields) {
            if (left instanceof Field field) {
                fields.add(field.path());
            }
        }
    }

    /** Numbers as BigDecimal, enums and char sequences as strings: what a definition's literals can be equal to. */
    public static Object normalize(Object value) {
        if (value == null || value instanceof Boolean || value instanceof BigDecimal) {
            return value;
        }
        if (value instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? null : BigDecimal.valueOf(d);
        }
        if (value instanceof Float x) {
            return BigDecimal.valueOf(x.doubleValue());
        }
        if (value instanceof Number n) {
            return BigDecimal.valueOf(n.longValue());
        }
        return value.toString();
    }

    private static boolean equal(Object a, Object b) {
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        return Objects.equals(a, b);
    }

    /** Recursive descent: or := and ('or' and)*; and := unary ('and' unary)*; unary := 'not' unary | primary. */
    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        Node parse() {
            if (text == null || text.isBlank()) {
                throw error("empty condition");
            }
            Node node = or();
            skipSpace();
            if (pos < text.length()) {
                throw error("unexpected '" + text.substring(pos) + "'");
            }
            return node;
        }

        private Node or() {
            Node node = and();
            while (keyword("or")) {
                node = new Or(node, and());
            }
            return node;
        }

        private Node and() {
            Node node = unary();
            while (keyword("and")) {
                node = new And(node, unary());
            }
            return node;
        }

        private Node unary() {
            if (keyword("not")) {
                return new Not(unary());
            }
            skipSpace();
            if (peek('(')) {
                pos++;
                Node inner = or();
                expect(")");
                return inner;
            }
            Operand left = operand();
            skipSpace();
            boolean negated = false;
            int save = pos;
            if (keyword("not")) {
                negated = true;
                if (!keyword("in")) {
                    pos = save;
                    throw error("expected 'in' after 'not'");
                }
                return new In(left, list(), true);
            }
            if (keyword("in")) {
                return new In(left, list(), negated);
            }
            for (String op : List.of("==", "!=", "<=", ">=", "<", ">")) {
                if (text.startsWith(op, pos)) {
                    pos += op.length();
                    return new Comparison(left, op, operand());
                }
            }
            return new Truth(left);
        }

        private List<Object> list() {
            expect("[");
            List<Object> values = new ArrayList<>();
            skipSpace();
            if (peek(']')) {
                pos++;
                return values;
            }
            do {
                Operand o = operand();
                if (!(o instanceof Literal literal)) {
                    throw error("a list holds literals only");
                }
                values.add(literal.value());
                skipSpace();
            } while (consume(','));
            expect("]");
            return values;
        }

        private Operand operand() {
            skipSpace();
            if (pos >= text.length()) {
                throw error("expected a field or a value at the end");
            }
            char c = text.charAt(pos);
            if (c == '\'' || c == '"') {
                int end = text.indexOf(c, pos + 1);
                if (end < 0) {
                    throw error("unterminated string");
                }
                String value = text.substring(pos + 1, end);
                pos = end + 1;
                return new Literal(value);
            }
            if (Character.isDigit(c) || (c == '-' && pos + 1 < text.length() && Character.isDigit(text.charAt(pos + 1)))) {
                int start = pos++;
                while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
                    pos++;
                }
                try {
                    return new Literal(new BigDecimal(text.substring(start, pos)));
                } catch (NumberFormatException e) {
                    pos = start;
                    throw error("not a number");
                }
            }
            if (Character.isLetter(c) || c == '_') {
                int start = pos;
                while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_'
                        || text.charAt(pos) == '.')) {
                    pos++;
                }
                String word = text.substring(start, pos);
                return switch (word) {
                    case "true" -> new Literal(Boolean.TRUE);
                    case "false" -> new Literal(Boolean.FALSE);
                    case "null" -> new Literal(null);
                    case "and", "or", "not", "in" -> {
                        pos = start;
                        throw error("expected a field or a value, found '" + word + "'");
                    }
                    default -> {
                        if (word.endsWith(".") || word.contains("..")) {
                            pos = start;
                            throw error("malformed field name '" + word + "'");
                        }
                        yield new Field(word);
                    }
                };
            }
            throw error("expected a field or a value, found '" + c + "'");
        }

        private boolean keyword(String word) {
            skipSpace();
            int end = pos + word.length();
            if (text.startsWith(word, pos) && (end == text.length() || !Character.isLetterOrDigit(text.charAt(end)))) {
                pos = end;
                return true;
            }
            return false;
        }

        private void expect(String token) {
            skipSpace();
            if (!text.startsWith(token, pos)) {
                throw error("expected '" + token + "'");
            }
            pos += token.length();
        }

        private boolean consume(char c) {
            skipSpace();
            if (peek(c)) {
                pos++;
                return true;
            }
            return false;
        }

        private boolean peek(char c) {
            return pos < text.length() && text.charAt(pos) == c;
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private ConditionSyntaxException error(String message) {
            return new ConditionSyntaxException(message + " (column " + (pos + 1) + ")", pos + 1);
        }
    }
}
