package io.tideline.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.tideline.ingest.IngestConfiguration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Points the application at {@link TestServers} and gives tests an HTTP client for its API. */
public abstract class EndToEndSupport {

    protected static final ObjectMapper JSON = IngestConfiguration.eventJson();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) throws IOException {
        Path stateDir = Files.createTempDirectory("tideline-streams");
        registry.add("tideline.kafka.bootstrap-servers", () -> TestServers.current().kafkaBootstrap());
        registry.add("spring.datasource.url", () -> TestServers.current().jdbcUrl());
        registry.add("spring.data.redis.port", () -> TestServers.current().redisPort());
        registry.add("tideline.streams.state-dir", stateDir::toString);
        registry.add("tideline.registry.port", () -> "-1"); // the registry API is at the random main port too
        registry.add("tideline.registry.schema-refresh", () -> "200ms"); // a test's new schema version is in use at once
        // one operational type at-least-once (not deduplicated), so both settings run in every end-to-end test
        registry.add("tideline.guarantees.metric-sample", () -> "at-least-once");
        // the demo's definition runs under every end-to-end test: all its metrics and rules beside the built-in ones
        registry.add("tideline.analytics.definition", () -> "config/tideline.yml");
    }

    @LocalServerPort
    protected int port;

    protected int port() {
        return port;
    }

    protected HttpResponse<String> post(String contentType, String body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + "/v1/events"))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<String> postJson(String path, String body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + pathAndQuery)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    protected JsonNode getJson(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> response = get(pathAndQuery);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + pathAndQuery + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
