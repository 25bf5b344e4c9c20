package io.tideline.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.springframework.data.redis.core.StringRedisTemplate;

import io.tideline.config.Guarantee;
import io.tideline.model.AggregateScope;
import io.tideline.store.ReadModelKeys;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Reads the Redis read models: the latest window of a series, the most recent series of a type, recent alerts. */
public class ReadModelQueries {

    private final StringRedisTemplate redis;
    private final ObjectMapper json;
    private final Function<String, Guarantee> guarantees;

    public ReadModelQueries(StringRedisTemplate redis, ObjectMapper json, Function<String, Guarantee> guarantees) {
        this.redis = redis;
        this.json = json;
        this.guarantees = guarantees;
    }

    public AggregateView latest(String eventType, String key) {
        AggregateScope scope = key == null ? AggregateScope.TYPE : AggregateScope.KEY;
        Map<Object, Object> hash = redis.opsForHash().entries(ReadModelKeys.series(scope, eventType, key));
        return hash.isEmpty() ? null : AggregateView.fromRedisHash(hash, guarantees.apply(eventType));
    }

    /** The per-key aggregates of a type whose latest window is newest, newest first. */
    public List<AggregateView> latestKeys(String eventType, int limit) {
        Set<String> keys = redis.opsForZSet().reverseRange(ReadModelKeys.keysOf(eventType), 0, limit - 1);
        List<AggregateView> views = new ArrayList<>();
        for (String key : keys == null ? Set.<String>of() : keys) {
            AggregateView view = latest(eventType, key);
            if (view != null) {
                views.add(view);
            }
        }
        return views;
    }

    /** Types that have a per-type aggregate. */
    public Set<String> types() {
        Set<String> types = redis.opsForZSet().range(ReadModelKeys.TYPES, 0, -1);
        return types == null ? Set.of() : types;
    }

    public List<JsonNode> recentAlerts(int limit) {
        Set<String> ids = redis.opsForZSet().reverseRange(ReadModelKeys.RECENT_ALERTS, 0, limit - 1);
        if (ids == null || ids.isEmpty()) {
            return List.of();
        }
        List<Object> data = redis.opsForHash().multiGet(ReadModelKeys.ALERT_DATA, new ArrayList<>(ids));
        return data.stream().filter(d -> d != null).map(d -> json.readTree(d.toString())).toList();
    }
}
