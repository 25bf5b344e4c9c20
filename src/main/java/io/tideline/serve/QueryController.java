package io.tideline.serve;

import java.time.Instant;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.tideline.model.EventFamily;
import tools.jackson.databind.JsonNode;

/**
 * The query side (CQRS): {@code /v1/aggregates*} and {@code /v1/alerts*}. "latest" and "recent" read the Redis
 * read models; ranges read the PostgreSQL history. See docs/api.md.
 */
@RestController
public class QueryController {

    private final ReadModelQueries readModel;
    private final HistoryQueries history;

    public QueryController(ReadModelQueries readModel, HistoryQueries history) {
        this.readModel = readModel;
        this.history = history;
    }

    @GetMapping("/v1/aggregates")
    public List<AggregateView> aggregates(@RequestParam String type, @RequestParam(required = false) String key,
                                          @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                                          @RequestParam(defaultValue = "100") int limit) {
        requireKnownType(type);
        Instant end = QueryParameters.time("to", to, Instant.now().plus(Duration.ofMinutes(1)));
        Instant start = QueryParameters.time("from", from, end.minus(Duration.ofHours(1)));
        return history.aggregates(type, key, start, end, QueryParameters.limit(limit));
    }

    @GetMapping("/v1/aggregates/latest")
    public ResponseEntity<?> latest(@RequestParam String type, @RequestParam(required = false) String key,
                                    @RequestParam(defaultValue = "false") boolean keys,
                                    @RequestParam(defaultValue = "20") int limit) {
        requireKnownType(type);
        if (keys) {
            return ResponseEntity.ok(readModel.latestKeys(type, QueryParameters.limit(limit)));
        }
        AggregateView view = readModel.latest(type, key);
        if (view == null) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                    "no aggregate yet for type " + type + (key == null ? "" : " and key " + key));
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(problem);
        }
        return ResponseEntity.ok(view);
    }

    @GetMapping("/v1/alerts/recent")
    public List<JsonNode> recentAlerts(@RequestParam(defaultValue = "50") int limit) {
        return readModel.recentAlerts(QueryParameters.limit(limit));
    }

    @GetMapping("/v1/alerts")
    public List<Map<String, Object>> alerts(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
                                            @RequestParam(defaultValue = "100") int limit) {
        Instant end = QueryParameters.time("to", to, Instant.now().plus(Duration.ofMinutes(1)));
        Instant start = QueryParameters.time("from", from, end.minus(Duration.ofDays(1)));
        return history.alerts(start, end, QueryParameters.limit(limit));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<ProblemDetail> badParameter(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage()));
    }

    private static void requireKnownType(String type) {
        if (EventFamily.forType(type).isEmpty()) {
            throw new IllegalArgumentException("type: unknown event type \"" + type + "\"; known types: " + EventFamily.knownTypes());
        }
    }
}
