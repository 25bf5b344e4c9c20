package io.tideline.process.analytics;

import io.tideline.model.EventEnvelope;
import io.tideline.model.MetricResult;

/** What a metric processor sends on: a window's (new) value, or an event that came too late for its windows. */
record Emitted(MetricResult result, EventEnvelope late) {

    static Emitted result(MetricResult result) {
        return new Emitted(result, null);
    }

    static Emitted late(EventEnvelope event) {
        return new Emitted(null, event);
    }

    boolean isLate() {
        return late != null;
    }
}
