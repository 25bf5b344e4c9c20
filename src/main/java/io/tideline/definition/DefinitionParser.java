package io.tideline.definition;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.boot.convert.DurationStyle;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import io.tideline.definition.AnomalyRule.Detector;
import io.tideline.definition.MetricDefinition.Destination;
import io.tideline.definition.SequenceRule.Step;
import io.tideline.model.EventFamily;
import io.tideline.model.Severity;

/**
 * Reads a pipeline definition (YAML, docs/definitions.md) and checks it against the event schemas: unknown keys,
 * types and fields, malformed durations and conditions, numeric aggregations of non-numeric fields, lanes that
 * cannot hold a rule. Every problem found is reported with its line and column; nothing runs if there is one.
 */
public final class DefinitionParser {

    private static final Set<String> TOP = Set.of("enrichments", "metrics", "anomalies", "sequences");
    private static final Set<String> METRIC = Set.of("name", "source", "where", "group-by", "window", "aggregate", "to", "lane");
    private static final Set<String> WINDOW = Set.of("type", "size", "advance", "gap", "grace");
    private static final Set<String> ANOMALY = Set.of("name", "source", "where", "key", "zscore", "ewma", "velocity", "severity", "lane");
    private static final Set<String> SEQUENCE = Set.of("name", "key", "first", "then", "not-followed-by", "within", "severity", "lane");
    private static final Set<String> STEP = Set.of("type", "where");
    private static final Set<String> ENRICHMENT = Set.of("name", "topic", "join-on");
    /** The partition key: grouping or keying by it keeps a rule in the event's own task (the fast lane). */
    static final String PARTITION_KEY = "key";

    private final String file;
    private final List<DefinitionProblem> problems = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private final Set<String> enrichmentNames = new HashSet<>();

    private DefinitionParser(String file) {
        this.file = file;
    }

    public static PipelineDefinition load(Path path) {
        String text;
        try {
            text = Files.readString(path);
        } catch (IOException e) {
            throw new InvalidDefinitionException(List.of(new DefinitionProblem(path.toString(), 0, 0, "",
                    "cannot read the file: " + e)));
        }
        return parse(path.toString(), text);
    }

    /** @throws InvalidDefinitionException listing every problem, each with its line */
    public static PipelineDefinition parse(String file, String yaml) {
        return new DefinitionParser(file).read(yaml);
    }

    private PipelineDefinition read(String yaml) {
        Node root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            var mark = e.getProblemMark();
            throw new InvalidDefinitionException(List.of(new DefinitionProblem(file, mark.getLine() + 1, mark.getColumn() + 1,
                    "", "not valid YAML: " + e.getProblem())));
        }
        List<Enrichment> enrichments = new ArrayList<>();
        List<MetricDefinition> metrics = new ArrayList<>();
        List<AnomalyRule> anomalies = new ArrayList<>();
        List<SequenceRule> sequences = new ArrayList<>();
        if (root != null) {
            Map<String, Node> top = mapping(root, "", TOP);
            if (top != null) {
                items(top.get("enrichments"), "enrichments", (n, p) -> add(enrichments, enrichment(n, p)));
                items(top.get("metrics"), "metrics", (n, p) -> add(metrics, metric(n, p)));
                items(top.get("anomalies"), "anomalies", (n, p) -> add(anomalies, anomaly(n, p)));
                items(top.get("sequences"), "sequences", (n, p) -> add(sequences, sequence(n, p)));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidDefinitionException(problems);
        }
        return new PipelineDefinition(file, List.copyOf(enrichments), List.copyOf(metrics), List.copyOf(anomalies),
                List.copyOf(sequences));
    }

    private static <T> void add(List<T> list, T item) {
        if (item != null) {
            list.add(item);
        }
    }

    private interface ItemReader {
        void read(Node node, String path);
    }

    private void items(Node node, String path, ItemReader reader) {
        if (node == null) {
            return;
        }
        if (!(node instanceof SequenceNode seq)) {
            problem(node, path, "expected a list (items starting with '- ')");
            return;
        }
        for (int i = 0; i < seq.getValue().size(); i++) {
            reader.read(seq.getValue().get(i), path + "[" + i + "]");
        }
    }

    private Enrichment enrichment(Node node, String path) {
        Map<String, Node> m = mapping(node, path, ENRICHMENT);
        if (m == null) {
            return null;
        }
        String name = name(m, node, path);
        String topic = required(m, node, path, "topic");
        String joinOn = required(m, node, path, "join-on");
        if (name == null || topic == null || joinOn == null) {
            return null;
        }
        enrichmentNames.add(name);
        return new Enrichment(name, topic, joinOn);
    }

    private MetricDefinition metric(Node node, String path) {
        Map<String, Node> m = mapping(node, path, METRIC);
        if (m == null) {
            return null;
        }
        String name = name(m, node, path);
        List<EventFamily> families = sources(m, node, path);
        Condition where = condition(m.get("where"), path + ".where");
        String groupBy = optional(m, "group-by");
        WindowSpec window = window(m.get("window"), node, path + ".window");
        List<Aggregation> aggregations = new ArrayList<>();
        Node aggregateNode = m.get("aggregate");
        if (aggregateNode == null) {
            problem(node, path, "missing 'aggregate' (e.g. [count, sum(amount)])");
        } else {
            for (Node item : scalars(aggregateNode, path + ".aggregate")) {
                try {
                    Aggregation a = Aggregation.parse(((ScalarNode) item).getValue());
                    aggregations.add(a);
                    if (a.field() != null) {
                        checkField(families, a.field(), a.numeric(), item, path + ".aggregate");
                    }
                } catch (IllegalArgumentException e) {
                    problem(item, path + ".aggregate", e.getMessage());
                }
            }
        }
        Set<Destination> to = EnumSet.noneOf(Destination.class);
        if (m.get("to") == null) {
            to.addAll(EnumSet.allOf(Destination.class));
        } else {
            for (Node item : scalars(m.get("to"), path + ".to")) {
                Destination d = enumValue(Destination.class, item, path + ".to");
                if (d != null) {
                    to.add(d);
                }
            }
        }
        checkFields(families, where, node, path + ".where");
        if (groupBy != null) {
            checkField(families, groupBy, false, m.get("group-by"), path + ".group-by");
        }
        Lane lane = lane(m, PARTITION_KEY.equals(groupBy) ? Lane.FAST : Lane.STANDARD, path);
        if (lane == Lane.FAST && !PARTITION_KEY.equals(groupBy)) {
            problem(m.get("lane"), path + ".lane", "the fast lane groups by 'key' (the partition key) only: grouping by "
                    + (groupBy == null ? "nothing (one global series)" : "'" + groupBy + "'") + " needs a repartition hop; use lane standard");
        }
        if (lane == Lane.BATCH && window != null && window.kind() != WindowSpec.Kind.TUMBLING) {
            problem(m.get("window"), path + ".window", "the batch lane computes tumbling windows only (from the history)");
        }
        if (lane == Lane.BATCH) {
            Set<String> reads = new TreeSet<>(where == null ? Set.of() : where.fields());
            if (groupBy != null) {
                reads.add(groupBy);
            }
            aggregations.stream().map(Aggregation::field).filter(f -> f != null).forEach(reads::add);
            if (reads.stream().anyMatch(f -> enrichmentNames.contains(f.split("\\.")[0]))) {
                problem(m.get("lane"), path + ".lane", "the batch lane reads the stored history, which holds no reference data");
            }
        }
        if (name == null || families.isEmpty() || window == null || aggregations.isEmpty() || to.isEmpty()) {
            return null;
        }
        return new MetricDefinition(name, families.stream().map(EventFamily::type).toList(), where, groupBy, window,
                List.copyOf(aggregations), Set.copyOf(to), lane);
    }

    private AnomalyRule anomaly(Node node, String path) {
        Map<String, Node> m = mapping(node, path, ANOMALY);
        if (m == null) {
            return null;
        }
        String name = name(m, node, path);
        List<EventFamily> families = sources(m, node, path);
        Condition where = condition(m.get("where"), path + ".where");
        checkFields(families, where, node, path + ".where");
        String key = key(m, families, path);
        List<String> detectors = new ArrayList<>(List.of("zscore", "ewma", "velocity"));
        detectors.removeIf(d -> !m.containsKey(d));
        if (detectors.size() != 1) {
            problem(node, path, "declare exactly one detector: zscore, ewma or velocity (found "
                    + (detectors.isEmpty() ? "none" : String.join(", ", detectors)) + ")");
            return null;
        }
        String kind = detectors.get(0);
        String dpath = path + "." + kind;
        Map<String, Node> d = mapping(m.get(kind), dpath, switch (kind) {
            case "zscore" -> Set.of("field", "window", "min-samples", "max-samples", "threshold");
            case "ewma" -> Set.of("field", "alpha", "min-samples", "threshold");
            default -> Set.of("count", "within");
        });
        if (d == null) {
            return null;
        }
        Detector detector = switch (kind) {
            case "zscore" -> {
                String field = required(d, m.get(kind), dpath, "field");
                if (field != null) {
                    checkField(families, field, true, d.get("field"), dpath + ".field");
                }
                Duration window = duration(d.get("window"), dpath + ".window", Duration.ofMinutes(30));
                int min = integer(d.get("min-samples"), dpath + ".min-samples", 10, 2);
                int max = integer(d.get("max-samples"), dpath + ".max-samples", 200, Math.max(min, 2));
                double threshold = number(d.get("threshold"), dpath + ".threshold", 4.0);
                yield field == null || window == null ? null : new AnomalyRule.ZScore(field, window, min, max, threshold);
            }
            case "ewma" -> {
                String field = required(d, m.get(kind), dpath, "field");
                if (field != null) {
                    checkField(families, field, true, d.get("field"), dpath + ".field");
                }
                double alpha = number(d.get("alpha"), dpath + ".alpha", 0.1);
                if (alpha <= 0 || alpha >= 1) {
                    problem(d.get("alpha"), dpath + ".alpha", "alpha is the newest value's weight, between 0 and 1 (both excluded)");
                }
                int min = integer(d.get("min-samples"), dpath + ".min-samples", 10, 2);
                double threshold = number(d.get("threshold"), dpath + ".threshold", 4.0);
                yield field == null ? null : new AnomalyRule.Ewma(field, alpha, min, threshold);
            }
            default -> {
                int count = integer(d.get("count"), dpath + ".count", -1, 1);
                Duration within = duration(d.get("within"), dpath + ".within", null);
                if (d.get("count") == null || within == null) {
                    problem(m.get(kind), dpath, "velocity needs 'count' (more than this many events) and 'within' (e.g. 1m)");
                    yield null;
                }
                yield new AnomalyRule.Velocity(count, within);
            }
        };
        Severity severity = severity(m, path);
        Lane lane = ruleLane(m, key, path);
        if (name == null || families.isEmpty() || detector == null || key == null) {
            return null;
        }
        return new AnomalyRule(name, families.stream().map(EventFamily::type).toList(), where, key, detector, severity, lane);
    }

    private SequenceRule sequence(Node node, String path) {
        Map<String, Node> m = mapping(node, path, SEQUENCE);
        if (m == null) {
            return null;
        }
        String name = name(m, node, path);
        Step first = step(m.get("first"), node, path + ".first", false);
        boolean absence = m.containsKey("not-followed-by");
        if (absence == m.containsKey("then")) {
            problem(node, path, "declare either 'then' (A followed by B) or 'not-followed-by' (A not followed by B), not "
                    + (absence ? "both" : "neither"));
            return null;
        }
        Step second = step(m.get(absence ? "not-followed-by" : "then"), node, path + (absence ? ".not-followed-by" : ".then"), true);
        Duration within = duration(m.get("within"), path + ".within", null);
        if (m.get("within") == null) {
            problem(node, path, "missing 'within' (e.g. 30s, 2h)");
        }
        List<EventFamily> families = new ArrayList<>();
        if (first != null) {
            EventFamily.forType(first.type()).ifPresent(families::add);
        }
        if (second != null) {
            EventFamily.forType(second.type()).ifPresent(families::add);
        }
        String key = key(m, families, path);
        Severity severity = severity(m, path);
        Lane lane = ruleLane(m, key, path);
        if (name == null || first == null || second == null || within == null || key == null) {
            return null;
        }
        return new SequenceRule(name, key, first, absence ? null : second, absence ? second : null, within, severity, lane);
    }

    private Step step(Node node, Node parent, String path, boolean mayReadFirst) {
        if (node == null) {
            problem(parent, path, "missing (a step: {type: ..., where: ...})");
            return null;
        }
        Map<String, Node> m = mapping(node, path, STEP);
        if (m == null) {
            return null;
        }
        String type = required(m, node, path, "type");
        EventFamily family = type == null ? null : family(type, m.get("type"), path + ".type");
        Condition where = condition(m.get("where"), path + ".where");
        if (family != null && where != null) {
            for (String field : where.fields()) {
                if (field.startsWith("first.")) {
                    if (!mayReadFirst) {
                        problem(m.get("where"), path + ".where", "'" + field + "': only the second step's condition can read the first event");
                    }
                    continue; // the first event's fields are its type's, read when it arrived
                }
                checkField(List.of(family), field, false, m.get("where"), path + ".where");
            }
        }
        return family == null ? null : new Step(family.type(), where);
    }

    private String key(Map<String, Node> m, List<EventFamily> families, String path) {
        String key = optional(m, "key");
        if (key == null) {
            return PARTITION_KEY;
        }
        checkField(families, key, false, m.get("key"), path + ".key");
        return key;
    }

    private Lane ruleLane(Map<String, Node> m, String key, String path) {
        Lane lane = lane(m, PARTITION_KEY.equals(key) ? Lane.FAST : Lane.STANDARD, path);
        if (lane == Lane.BATCH) {
            problem(m.get("lane"), path + ".lane", "rules run in the stream: lane fast or standard");
        } else if (lane == Lane.FAST && !PARTITION_KEY.equals(key)) {
            problem(m.get("lane"), path + ".lane", "the fast lane keys by 'key' (the partition key) only: keying by '" + key
                    + "' needs a repartition hop; use lane standard");
        }
        return lane;
    }

    private Lane lane(Map<String, Node> m, Lane fallback, String path) {
        Node node = m.get("lane");
        if (node == null) {
            return fallback;
        }
        Lane lane = enumValue(Lane.class, node, path + ".lane");
        return lane == null ? fallback : lane;
    }

    private Severity severity(Map<String, Node> m, String path) {
        Node node = m.get("severity");
        Severity s = node == null ? null : enumValue(Severity.class, node, path + ".severity");
        return s == null ? Severity.WARNING : s;
    }

    private WindowSpec window(Node node, Node parent, String path) {
        if (node == null) {
            problem(parent, path, "missing (e.g. {type: tumbling, size: 1m})");
            return null;
        }
        Map<String, Node> m = mapping(node, path, WINDOW);
        if (m == null) {
            return null;
        }
        Node typeNode = m.get("type");
        if (typeNode == null) {
            problem(node, path, "missing 'type': tumbling, hopping, sliding or session");
            return null;
        }
        WindowSpec.Kind kind = enumValue(WindowSpec.Kind.class, typeNode, path + ".type");
        if (kind == null) {
            return null;
        }
        Duration grace = duration(m.get("grace"), path + ".grace", Duration.ZERO);
        Duration size = duration(m.get("size"), path + ".size", null);
        Duration advance = duration(m.get("advance"), path + ".advance", null);
        Duration gap = duration(m.get("gap"), path + ".gap", null);
        if (grace == null) {
            return null;
        }
        for (String irrelevant : switch (kind) {
            case TUMBLING, SLIDING -> List.of("advance", "gap");
            case HOPPING -> List.of("gap");
            case SESSION -> List.of("size", "advance");
        }) {
            if (m.containsKey(irrelevant)) {
                problem(m.get(irrelevant), path + "." + irrelevant, "a " + kind.name().toLowerCase() + " window has no " + irrelevant);
            }
        }
        if (kind == WindowSpec.Kind.SESSION) {
            if (gap == null) {
                problem(node, path, "a session window needs 'gap' (the inactivity that ends a session)");
                return null;
            }
            return WindowSpec.session(gap, grace);
        }
        if (size == null) {
            if (!m.containsKey("size")) {
                problem(node, path, "a " + kind.name().toLowerCase() + " window needs 'size'");
            }
            return null;
        }
        if (kind == WindowSpec.Kind.HOPPING) {
            if (advance == null) {
                if (!m.containsKey("advance")) {
                    problem(node, path, "a hopping window needs 'advance' (how far each window starts after the previous)");
                }
                return null;
            }
            if (advance.compareTo(size) > 0 || size.toMillis() % advance.toMillis() != 0) {
                problem(m.get("advance"), path + ".advance", "the advance must divide the size (a window is a whole number of advances)");
                return null;
            }
            return WindowSpec.hopping(size, advance, grace);
        }
        return kind == WindowSpec.Kind.TUMBLING ? WindowSpec.tumbling(size, grace) : WindowSpec.sliding(size, grace);
    }

    private List<EventFamily> sources(Map<String, Node> m, Node node, String path) {
        Node source = m.get("source");
        if (source == null) {
            problem(node, path, "missing 'source' (event types: " + EventFamily.knownTypes() + ")");
            return List.of();
        }
        List<EventFamily> families = new ArrayList<>();
        for (Node item : scalars(source, path + ".source")) {
            EventFamily family = family(((ScalarNode) item).getValue(), item, path + ".source");
            if (family != null) {
                families.add(family);
            }
        }
        return families;
    }

    private EventFamily family(String type, Node node, String path) {
        EventFamily family = EventFamily.forType(type).orElse(null);
        if (family == null) {
            problem(node, path, "unknown event type '" + type + "'; known types: " + EventFamily.knownTypes());
        }
        return family;
    }

    private void checkFields(List<EventFamily> families, Condition where, Node node, String path) {
        if (where != null) {
            for (String field : where.fields()) {
                checkField(families, field, false, node, path);
            }
        }
    }

    private void checkField(List<EventFamily> families, String field, boolean numeric, Node node, String path) {
        for (EventFamily family : families) {
            EventFieldCatalog.Kind kind = EventFieldCatalog.kind(family, field, enrichmentNames);
            if (kind == EventFieldCatalog.Kind.MISSING) {
                problem(node, path, family.type() + " events have no field '" + field + "' (fields: "
                        + EventFieldCatalog.fieldsOf(family) + "; attributes: "
                        + String.join(", ", new TreeSet<>(EventFieldCatalog.ATTRIBUTES)) + ")");
            } else if (numeric && kind == EventFieldCatalog.Kind.OTHER) {
                problem(node, path, "'" + field + "' of " + family.type() + " events is not a number");
            }
        }
    }

    private Condition condition(Node node, String path) {
        if (node == null) {
            return null;
        }
        if (!(node instanceof ScalarNode scalar)) {
            problem(node, path, "expected a condition such as \"amount > 100 and country != 'DE'\"");
            return null;
        }
        try {
            return Condition.parse(scalar.getValue());
        } catch (Condition.ConditionSyntaxException e) {
            problem(node, path, e.getMessage());
            return null;
        }
    }

    private String name(Map<String, Node> m, Node node, String path) {
        String name = required(m, node, path, "name");
        if (name == null) {
            return null;
        }
        if (!name.matches("[a-z0-9][a-z0-9-]*")) {
            problem(m.get("name"), path + ".name", "'" + name + "': names are lower-case letters, digits and '-' "
                    + "(they appear in topics, keys and URLs)");
        } else if (!names.add(name)) {
            problem(m.get("name"), path + ".name", "'" + name + "' is declared twice (names are unique across the file)");
        }
        return name;
    }

    private String required(Map<String, Node> m, Node parent, String path, String key) {
        if (!m.containsKey(key)) {
            problem(parent, path, "missing '" + key + "'");
            return null;
        }
        return scalar(m.get(key), path + "." + key);
    }

    private String optional(Map<String, Node> m, String key) {
        return m.containsKey(key) ? scalar(m.get(key), key) : null;
    }

    private String scalar(Node node, String path) {
        if (node instanceof ScalarNode scalar && !scalar.getValue().isEmpty()) {
            return scalar.getValue();
        }
        problem(node, path, "expected a single value");
        return null;
    }

    private List<Node> scalars(Node node, String path) {
        List<Node> out = new ArrayList<>();
        List<Node> candidates = node instanceof SequenceNode seq ? seq.getValue() : List.of(node);
        for (Node n : candidates) {
            if (n instanceof ScalarNode) {
                out.add(n);
            } else {
                problem(n, path, "expected a value or a list of values");
            }
        }
        return out;
    }

    private Duration duration(Node node, String path, Duration fallback) {
        if (node == null) {
            return fallback;
        }
        String text = scalar(node, path);
        if (text == null) {
            return null;
        }
        try {
            Duration d = DurationStyle.detectAndParse(text);
            if (d.isNegative() || (d.isZero() && !path.endsWith("grace"))) {
                problem(node, path, "'" + text + "' must be positive");
                return null;
            }
            return d;
        } catch (IllegalArgumentException e) {
            problem(node, path, "'" + text + "' is not a duration (e.g. 500ms, 10s, 5m, 2h)");
            return null;
        }
    }

    private int integer(Node node, String path, int fallback, int min) {
        if (node == null) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(scalar(node, path));
            if (v < min) {
                problem(node, path, v + " is too small (at least " + min + ")");
            }
            return v;
        } catch (NumberFormatException e) {
            problem(node, path, "expected a whole number");
            return fallback;
        }
    }

    private double number(Node node, String path, double fallback) {
        if (node == null) {
            return fallback;
        }
        try {
            double v = Double.parseDouble(scalar(node, path));
            if (!(v > 0)) {
                problem(node, path, "expected a positive number");
            }
            return v;
        } catch (NumberFormatException | NullPointerException e) {
            problem(node, path, "expected a number");
            return fallback;
        }
    }

    private <E extends Enum<E>> E enumValue(Class<E> type, Node node, String path) {
        String text = scalar(node, path);
        if (text == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            List<String> allowed = new ArrayList<>();
            for (E c : type.getEnumConstants()) {
                allowed.add(c.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            }
            problem(node, path, "'" + text + "' is not one of " + String.join(", ", allowed));
            return null;
        }
    }

    private Map<String, Node> mapping(Node node, String path, Set<String> allowed) {
        if (!(node instanceof MappingNode mapping)) {
            problem(node, path, "expected a mapping (key: value lines)");
            return null;
        }
        Map<String, Node> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : null;
            if (key == null || !allowed.contains(key)) {
                problem(tuple.getKeyNode(), path, "unknown key '" + key + "'; expected one of " + String.join(", ", new TreeSet<>(allowed)));
            } else if (tuple.getValueNode().getTag().equals(Tag.NULL)) {
                continue; // "key: null" or "key:" says the same as leaving the key out
            } else if (entries.put(key, tuple.getValueNode()) != null) {
                problem(tuple.getKeyNode(), path, "'" + key + "' is given twice");
            }
        }
        return entries;
    }

    private void problem(Node node, String path, String message) {
        int line = node == null ? 0 : node.getStartMark().getLine() + 1;
        int column = node == null ? 0 : node.getStartMark().getColumn() + 1;
        problems.add(new DefinitionProblem(file, line, column, path, message));
    }
}
