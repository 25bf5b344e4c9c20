package io.tideline.serve;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import io.tideline.definition.MetricDefinition;
import io.tideline.model.MetricWindowView;
import io.tideline.process.StreamsRunner;
import io.tideline.process.analytics.MetricWindows;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Interactive queries: a metric's windows for one group key, read straight from the Kafka Streams state store of
 * the instance that owns the key. With several instances ({@code tideline.streams.application-server} set on
 * each), a query that lands on another instance is forwarded once to the owner, which answers from its store;
 * with that setting empty, this instance is the only one and reads its own stores.
 */
public class WindowStateQueries {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final StreamsRunner runner;
    private final HostInfo self;
    private final ObjectMapper json;

    /** Thrown when no instance can answer right now (starting, rebalancing, restoring): a 503 with retry. */
    public static final class NotQueryableException extends RuntimeException {
        NotQueryableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public WindowStateQueries(StreamsRunner runner, String applicationServer, ObjectMapper json) {
        this.runner = runner;
        this.self = applicationServer.isBlank() ? null : HostInfo.buildFromEndpoint(applicationServer);
        this.json = json;
    }

    /** @param local the caller is another instance that found this one to be the owner: never forward again */
    public List<MetricWindowView> windows(MetricDefinition metric, String groupKey, boolean local) {
        KafkaStreams streams = runner.streams();
        if (streams == null || streams.state() != KafkaStreams.State.RUNNING && streams.state() != KafkaStreams.State.REBALANCING) {
            throw new NotQueryableException("the stream processor is not running (" + (streams == null ? "stopped" : streams.state()) + ")", null);
        }
        String store = MetricWindows.storeName(metric);
        StoreQueryParameters<ReadOnlyKeyValueStore<String, byte[]>> query =
                StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore());
        if (self != null) {
            // Several instances: find the owner (Kafka Streams knows it only when application.server is set).
            KeyQueryMetadata owner = streams.queryMetadataForKey(store, groupKey, new StringSerializer());
            if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
                throw new NotQueryableException("no instance owns key " + groupKey + " of " + metric.name() + " right now (rebalancing)", null);
            }
            if (!local && !owner.activeHost().equals(self)) {
                return forward(owner.activeHost(), metric, groupKey);
            }
            query = query.withPartition(owner.partition());
        }
        try {
            return MetricWindows.query(streams.store(query), metric, groupKey);
        } catch (InvalidStateStoreException e) {
            throw new NotQueryableException("the store of " + metric.name() + " is not queryable right now: " + e.getMessage(), e);
        }
    }

    private List<MetricWindowView> forward(HostInfo owner, MetricDefinition metric, String groupKey) {
        URI uri = URI.create("http://" + owner.host() + ":" + owner.port() + "/v1/metrics/" + metric.name() + "/windows?local=true&key="
                + URLEncoder.encode(groupKey, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new NotQueryableException("the owner of the key, " + owner + ", answered " + response.statusCode(), null);
            }
            return json.readValue(response.body(), new TypeReference<List<MetricWindowView>>() { });
        } catch (IOException e) {
            throw new NotQueryableException("the owner of the key, " + owner + ", could not be reached: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotQueryableException("interrupted", e);
        }
    }
}
