package io.tideline.definition;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A windowed metric over events of some types: filtered, grouped by a field (or one global series when
 * {@code groupBy} is null), aggregated, and written to the chosen stores.
 */
public record MetricDefinition(String name, List<String> types, Condition where, String groupBy, WindowSpec window,
                               List<Aggregation> aggregations, Set<Destination> to, Lane lane) {

    public enum Destination {
        REDIS, POSTGRES
    }

    /** Every field the metric reads: its condition's, its group-by and its aggregations' (to join what they need). */
    public Set<String> reads() {
        Set<String> fields = new TreeSet<>();
        if (where != null) {
            fields.addAll(where.fields());
        }
        if (groupBy != null) {
            fields.add(groupBy);
        }
        aggregations.stream().map(Aggregation::field).filter(Objects::nonNull).forEach(fields::add);
        return fields;
    }

    /** The group key of an event without a group-by field. */
    public static final String GLOBAL = "*";
}
