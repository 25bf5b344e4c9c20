package io.tideline.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import org.springframework.data.redis.core.StringRedisTemplate;

import io.tideline.config.Guarantee;
import io.tideline.model.WindowAggregate;
import io.tideline.store.AggregateParts;
import io.tideline.store.ReadModelHash;
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

    /** The latest window of a key's series, or with key null of the type's: the merge of its parts. */
    public AggregateView latest(String eventType, String key) {
        WindowAggregate latest;
        if (key != null) {
            latest = ReadModelHash.aggregate(redis.opsForHash().entries(ReadModelKeys.series(eventType, key)));
        } else {
            Set<String> parts = redis.opsForZSet().range(ReadModelKeys.partsOf(eventType), 0, -1);
            List<WindowAggregate> hashes = new ArrayList<>();
            for (String part : parts == null ? Set.<String>of() : parts) {
                WindowAggregate a = ReadModelHash.aggregate(redis.opsForHash().entries(
                        ReadModelKeys.typePart(eventType, Integer.parseInt(part))));
                if (a != null) {
                    hashes.add(a);
                }
            }
            latest = hashes.isEmpty() ? null : AggregateParts.merge(hashes);
        }
        return latest == null ? null : AggregateView.of(latest, guarantees.apply(eventType));
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
