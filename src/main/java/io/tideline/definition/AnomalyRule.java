package io.tideline.definition;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.tideline.model.Severity;

/** A per-key statistical or rate rule over events of some types. */
public record AnomalyRule(String name, List<String> types, Condition where, String key, Detector detector,
                          Severity severity, Lane lane) {

    public sealed interface Detector permits ZScore, Ewma, Velocity {
    }

    /** Every field the rule reads: its condition's, its key and its detector's field. */
    public Set<String> reads() {
        Set<String> fields = new TreeSet<>();
        if (where != null) {
            fields.addAll(where.fields());
        }
        fields.add(key);
        if (detector instanceof ZScore z) {
            fields.add(z.field());
        } else if (detector instanceof Ewma e) {
            fields.add(e.field());
        }
        return fields;
    }

    /** |x − mean| / stddev over the key's values within a sliding event-time window, once it holds minSamples. */
    public record ZScore(String field, Duration window, int minSamples, int maxSamples, double threshold) implements Detector {
    }

    /**
     * |x − ewma| / ewm-stddev, exponentially weighted with {@code alpha} (the weight of the newest value), once the
     * key has minSamples values. Anomalous values do not move the baseline.
     */
    public record Ewma(String field, double alpha, int minSamples, double threshold) implements Detector {
    }

    /** More than {@code count} events of the key within {@code within} (event time). */
    public record Velocity(int count, Duration within) implements Detector {
    }
}
