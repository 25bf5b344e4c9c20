package io.tideline.serve;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import io.tideline.config.Guarantee;
import io.tideline.model.Alert;
import io.tideline.model.MetricResult;
import io.tideline.model.WindowAggregate;
import io.tideline.schema.AvroJsonEncoder;
import io.tideline.store.ReadModelListener;
import tools.jackson.databind.ObjectMapper;

/**
 * Pushes read-model changes to dashboard clients over Server-Sent Events. Aggregate updates are coalesced per
 * series and flushed on a short interval (a browser needs the newest value, not every one); alerts go at once;
 * a throughput snapshot goes every second. The sinks only hand changes over; one thread prepares each message once,
 * and every client has its own outbox and sending thread ({@link FeedClient}), so a slow client stalls neither a
 * sink nor the other clients.
 */
public class LiveFeed implements ReadModelListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);

    private final ObjectMapper json;
    private final Function<String, Guarantee> guarantees;
    private final AvroJsonEncoder avroJson = new AvroJsonEncoder();
    /** Messages a client may be behind by before it is dropped (at 10 pushes a second, several seconds). */
    static final int OUTBOX_CAPACITY = 256;

    private final Set<FeedClient> clients = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private final Function<String, AggregateView> typeLatest;
    private final Map<String, AggregateView> pending = new ConcurrentHashMap<>();
    private final Set<String> pendingTypes = ConcurrentHashMap.newKeySet();
    /** Declared metrics' windows since the last push, the newest per metric and group key. */
    private final Map<String, MetricResult> pendingMetrics = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tideline-live-feed");
        t.setDaemon(true);
        return t;
    });

    /** @param typeLatest a type's latest figure, merged from its parts (the sink sees one part at a time) */
    public LiveFeed(ObjectMapper json, Function<String, Guarantee> guarantees, Function<String, AggregateView> typeLatest,
                    Duration pushInterval, Duration snapshotInterval, Supplier<Object> snapshots) {
        this.json = json;
        this.guarantees = guarantees;
        this.typeLatest = typeLatest;
        sender.scheduleWithFixedDelay(() -> {
            flushAggregates();
            flushMetrics();
        }, pushInterval.toMillis(), pushInterval.toMillis(), TimeUnit.MILLISECONDS);
        sender.scheduleWithFixedDelay(() -> {
            if (!clients.isEmpty()) {
                broadcast("snapshot", snapshots.get());
            }
        }, 0, snapshotInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public SseEmitter subscribe() {
        SseEmitter emitter = new SseEmitter(0L); // no timeout: the stream lives as long as the page
        FeedClient client = subscribe(new FeedClient.Connection() {
            @Override
            public void send(String event, String data) throws IOException {
                emitter.send(SseEmitter.event().name(event).data(data, MediaType.APPLICATION_JSON));
            }

            @Override
            public void close() {
                emitter.complete();
            }
        });
        emitter.onCompletion(client::close);
        emitter.onTimeout(client::close);
        emitter.onError(e -> client.close());
        return emitter;
    }

    FeedClient subscribe(FeedClient.Connection connection) {
        FeedClient[] self = new FeedClient[1];
        self[0] = new FeedClient("tideline-feed-client-" + connections.incrementAndGet(), connection, OUTBOX_CAPACITY,
                () -> clients.remove(self[0]));
        clients.add(self[0]);
        self[0].offer("hello", encode(Map.of("clients", clients.size())));
        return self[0];
    }

    @Override
    public void aggregatesApplied(List<WindowAggregate> aggregates) {
        for (WindowAggregate a : aggregates) {
            if (a.getPart() >= 0) {
                pendingTypes.add(a.getEventType());
            } else {
                pending.put(a.getScope() + "|" + a.getEventType() + "|" + a.getSeriesKey(), AggregateView.of(a, guarantees.apply(a.getEventType())));
            }
        }
    }

    @Override
    public void alertsApplied(List<Alert> alerts) {
        List<Object> encoded = new ArrayList<>();
        for (Alert alert : alerts) {
            encoded.add(avroJson.encode(alert));
        }
        sender.execute(() -> encoded.forEach(a -> broadcast("alert", a)));
    }

    @Override
    public void metricsApplied(List<MetricResult> results) {
        for (MetricResult r : results) {
            pendingMetrics.put(r.getMetric() + "|" + r.getGroupKey(), r);
        }
    }

    public int clientCount() {
        return clients.size();
    }

    private void flushAggregates() {
        if (pending.isEmpty() && pendingTypes.isEmpty()) {
            return;
        }
        List<AggregateView> batch = new ArrayList<>();
        for (String type : new ArrayList<>(pendingTypes)) {
            pendingTypes.remove(type);
            try {
                AggregateView merged = typeLatest.apply(type);
                if (merged != null) {
                    batch.add(merged);
                }
            } catch (RuntimeException e) {
                log.debug("type figure of {} not pushed: {}", type, e.toString()); // the next update retries
            }
        }
        for (String key : new ArrayList<>(pending.keySet())) {
            AggregateView view = pending.remove(key);
            if (view != null) {
                batch.add(view);
            }
        }
        if (!clients.isEmpty()) {
            broadcast("aggregates", batch);
        }
    }

    private void flushMetrics() {
        List<Object> batch = new ArrayList<>();
        for (String key : new ArrayList<>(pendingMetrics.keySet())) {
            MetricResult r = pendingMetrics.remove(key);
            if (r != null) {
                batch.add(avroJson.encode(r));
            }
        }
        if (!batch.isEmpty() && !clients.isEmpty()) {
            broadcast("metrics", batch);
        }
    }

    private void broadcast(String event, Object data) {
        String encoded = encode(data);
        for (FeedClient client : clients) {
            if (!client.offer(event, encoded)) {
                log.debug("dropped a dashboard client that fell {} messages behind", OUTBOX_CAPACITY);
            }
        }
    }

    private String encode(Object data) {
        return json.writeValueAsString(data);
    }

    @Override
    public void close() {
        sender.shutdownNow();
        new ArrayList<>(clients).forEach(FeedClient::close);
    }
}
