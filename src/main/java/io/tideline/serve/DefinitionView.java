package io.tideline.serve;

import java.util.LinkedHashMap;
import java.util.Map;

import io.tideline.definition.Aggregation;
import io.tideline.definition.AnomalyRule;
import io.tideline.definition.MetricDefinition;
import io.tideline.definition.PipelineDefinition;
import io.tideline.definition.SequenceRule;
import io.tideline.definition.WindowSpec;

/** The running definition as the API and the dashboard show it: every metric and rule with its lane. */
final class DefinitionView {

    private final Map<String, Object> whole;

    DefinitionView(PipelineDefinition d) {
        whole = new LinkedHashMap<>();
        whole.put("origin", d.origin());
        whole.put("enrichments", d.enrichments().stream().map(e -> map("name", e.name(), "topic", e.topic(), "joinOn", e.joinOn())).toList());
        whole.put("metrics", d.metrics().stream().map(DefinitionView::metric).toList());
        whole.put("anomalies", d.anomalies().stream().map(DefinitionView::anomaly).toList());
        whole.put("sequences", d.sequences().stream().map(DefinitionView::sequence).toList());
    }

    Map<String, Object> whole() {
        return whole;
    }

    private static Map<String, Object> metric(MetricDefinition m) {
        return map("name", m.name(), "lane", m.lane().label(), "source", m.types(), "where", text(m.where()),
                "groupBy", m.groupBy(), "window", window(m.window()),
                "aggregate", m.aggregations().stream().map(Aggregation::name).toList(),
                "to", m.to().stream().map(t -> t.name().toLowerCase()).sorted().toList());
    }

    private static Map<String, Object> window(WindowSpec w) {
        return map("type", w.kind().name().toLowerCase(), "size", text(w.size()), "advance", w.kind() == WindowSpec.Kind.HOPPING ? text(w.advance()) : null,
                "gap", text(w.gap()), "grace", text(w.grace()));
    }

    private static Map<String, Object> anomaly(AnomalyRule r) {
        String detector = r.detector() instanceof AnomalyRule.ZScore ? "zscore" : r.detector() instanceof AnomalyRule.Ewma ? "ewma" : "velocity";
        return map("name", r.name(), "lane", r.lane().label(), "source", r.types(), "where", text(r.where()), "key", r.key(),
                "detector", detector, "settings", r.detector().toString(), "severity", r.severity().name().toLowerCase());
    }

    private static Map<String, Object> sequence(SequenceRule r) {
        return map("name", r.name(), "lane", r.lane().label(), "key", r.key(), "kind", r.isAbsence() ? "not-followed-by" : "then",
                "first", map("type", r.first().type(), "where", text(r.first().where())),
                "second", map("type", r.second().type(), "where", text(r.second().where())),
                "within", text(r.within()), "severity", r.severity().name().toLowerCase());
    }

    private static String text(Object o) {
        return o == null ? null : o.toString();
    }

    private static Map<String, Object> map(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], pairs[i + 1]);
        }
        return m;
    }
}
