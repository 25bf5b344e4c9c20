package io.tideline.serve;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.tideline.definition.Lane;
import io.tideline.definition.MetricDefinition;
import io.tideline.definition.PipelineDefinition;
import io.tideline.model.MetricWindowView;
import io.tideline.store.MetricReadModel;
import io.tideline.store.ReadModelKeys;

/**
 * The declared metrics and rules (docs/definitions.md) on the query side: the running definition, each metric's
 * latest windows (Redis read model), its windows from the stream's state (interactive query) or, for the batch
 * lane, computed from the history, and its stored windows (PostgreSQL). See docs/api.md.
 */
@RestController
public class AnalyticsController {

    private final PipelineDefinition definition;
    private final DefinitionView view;
    private final StringRedisTemplate redis;
    private final WindowStateQueries state;
    private final MetricHistoryQueries history;

    public AnalyticsController(PipelineDefinition definition, StringRedisTemplate redis, WindowStateQueries state,
                               MetricHistoryQueries history) {
        this.definition = definition;
        this.view = new DefinitionView(definition);
        this.redis = redis;
        this.state = state;
        this.history = history;
    }

    @GetMapping("/v1/definition")
    public Map<String, Object> definition() {
        return view.whole();
    }

    /** The latest window of a group key, or with no key the keys whose latest window ends last. */
    @GetMapping("/v1/metrics/{name}/latest")
    public ResponseEntity<?> latest(@PathVariable String name, @RequestParam(required = false) String key,
                                    @RequestParam(defaultValue = "20") int limit) {
        MetricDefinition metric = metric(name);
        if (metric.lane() == Lane.BATCH || !metric.to().contains(MetricDefinition.Destination.REDIS)) {
            throw new IllegalArgumentException(name + ": its results are not in the Redis read model (lane " + metric.lane().label()
                    + ", to " + metric.to() + "); use /v1/metrics/" + name + "/windows or /history");
        }
        if (key == null) {
            Set<String> keys = redis.opsForZSet().reverseRange(ReadModelKeys.metricKeys(name), 0, QueryParameters.limit(limit) - 1);
            List<MetricWindowView> views = new ArrayList<>();
            for (String k : keys == null ? Set.<String>of() : keys) {
                MetricWindowView v = MetricReadModel.view(redis.opsForHash().entries(ReadModelKeys.metric(name, k)));
                if (v != null) {
                    views.add(v);
                }
            }
            return ResponseEntity.ok(views);
        }
        MetricWindowView v = MetricReadModel.view(redis.opsForHash().entries(ReadModelKeys.metric(name, key)));
        if (v == null) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                    "no window of " + name + " for key " + key + " yet"));
        }
        return ResponseEntity.ok(v);
    }

    /**
     * A group key's windows: streamed metrics from the state store of the instance owning the key (open windows and
     * closed ones kept for tideline.analytics.keep-closed); batch-lane metrics computed from the history.
     */
    @GetMapping("/v1/metrics/{name}/windows")
    public List<MetricWindowView> windows(@PathVariable String name, @RequestParam(required = false) String key,
                                          @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                                          @RequestParam(defaultValue = "false") boolean local) {
        MetricDefinition metric = metric(name);
        if (metric.lane() == Lane.BATCH) {
            Instant end = QueryParameters.time("to", to, Instant.now());
            return history.batch(metric, key, QueryParameters.time("from", from, end.minus(Duration.ofHours(24))), end);
        }
        if (key == null) {
            throw new IllegalArgumentException("key: required (the group key whose windows to read; * for a metric without group-by)");
        }
        return state.windows(metric, key, local);
    }

    /** Windows stored in PostgreSQL (metrics whose results go there), newest first. */
    @GetMapping("/v1/metrics/{name}/history")
    public List<MetricWindowView> history(@PathVariable String name, @RequestParam(required = false) String key,
                                          @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                                          @RequestParam(defaultValue = "100") int limit) {
        MetricDefinition metric = metric(name);
        if (metric.lane() == Lane.BATCH || !metric.to().contains(MetricDefinition.Destination.POSTGRES)) {
            throw new IllegalArgumentException(name + ": its results are not stored in PostgreSQL (lane " + metric.lane().label()
                    + ", to " + metric.to() + ")");
        }
        Instant end = QueryParameters.time("to", to, Instant.now().plus(Duration.ofMinutes(1)));
        return history.stored(metric, key, QueryParameters.time("from", from, end.minus(Duration.ofHours(1))), end, QueryParameters.limit(limit));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<ProblemDetail> badParameter(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage()));
    }

    @ExceptionHandler(UnknownMetricException.class)
    ResponseEntity<ProblemDetail> unknown(UnknownMetricException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage()));
    }

    @ExceptionHandler(WindowStateQueries.NotQueryableException.class)
    ResponseEntity<ProblemDetail> notQueryable(WindowStateQueries.NotQueryableException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "1")
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage()));
    }

    private MetricDefinition metric(String name) {
        return definition.metric(name).orElseThrow(() -> new UnknownMetricException("no metric " + name
                + " in the running definition (" + definition.origin() + "); metrics: "
                + definition.metrics().stream().map(MetricDefinition::name).toList()));
    }

    private static final class UnknownMetricException extends RuntimeException {
        UnknownMetricException(String message) {
            super(message);
        }
    }

}
