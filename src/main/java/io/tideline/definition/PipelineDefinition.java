package io.tideline.definition;

import java.util.List;

/** Everything a definition file declares. Validated as a whole before any of it runs. */
public record PipelineDefinition(String origin, List<Enrichment> enrichments, List<MetricDefinition> metrics,
                                 List<AnomalyRule> anomalies, List<SequenceRule> sequences) {

    public static PipelineDefinition empty() {
        return new PipelineDefinition("(none)", List.of(), List.of(), List.of(), List.of());
    }

    public boolean isEmpty() {
        return enrichments.isEmpty() && metrics.isEmpty() && anomalies.isEmpty() && sequences.isEmpty();
    }
}
