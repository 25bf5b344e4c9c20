package io.tideline.definition;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Everything a definition file declares. Validated as a whole before any of it runs. */
public record PipelineDefinition(String origin, List<Enrichment> enrichments, List<MetricDefinition> metrics,
                                 List<AnomalyRule> anomalies, List<SequenceRule> sequences) {

    public static PipelineDefinition empty() {
        return new PipelineDefinition("(none)", List.of(), List.of(), List.of(), List.of());
    }

    /** Whether a metric's results are written to the given store. */
    public Predicate<String> resultsIn(MetricDefinition.Destination destination) {
        Set<String> names = metrics.stream().filter(m -> m.to().contains(destination)).map(MetricDefinition::name)
                .collect(Collectors.toUnmodifiableSet());
        return names::contains;
    }

    public Optional<MetricDefinition> metric(String name) {
        return metrics.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    public boolean isEmpty() {
        return enrichments.isEmpty() && metrics.isEmpty() && anomalies.isEmpty() && sequences.isEmpty();
    }
}
