package io.tideline.store;

import java.util.List;

import io.tideline.model.Alert;
import io.tideline.model.MetricResult;
import io.tideline.model.WindowAggregate;

/** Told what the Redis read model just applied, after it is visible there (the dashboard's push feed). */
public interface ReadModelListener {

    void aggregatesApplied(List<WindowAggregate> aggregates);

    void alertsApplied(List<Alert> alerts);

    /** Windows of declared metrics now shown (each its group key's latest). */
    void metricsApplied(List<MetricResult> results);
}
