package io.tideline.definition;

import java.util.List;
import java.util.Set;

/**
 * A windowed metric over events of some types: filtered, grouped by a field (or one global series when
 * {@code groupBy} is null), aggregated, and written to the chosen stores.
 */
public record MetricDefinition(String name, List<String> types, Condition where, String groupBy, WindowSpec window,
                               List<Aggregation> aggregations, Set<Destination> to, Lane lane) {

    public enum Destination {
        REDIS, POSTGRES
    }

    /** The group key of an event without a group-by field. */
    public static final String GLOBAL = "*";
}
