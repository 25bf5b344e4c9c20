package io.tideline.schema.registry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import org.apache.avro.Schema;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A client of any registry speaking Confluent's REST API (Tideline's own, Confluent's, Apicurio's ccompat,
 * Redpanda's). Every call is a round trip; the pipeline remembers what cannot change through
 * {@link CachingSchemaSource}, as for the built-in registry.
 */
public final class RegistryClient implements SchemaSource {

    /** The registry refused a request; {@link #errorCode()} is Confluent's code (e.g. 409 incompatible). */
    public static final class RegistryClientException extends RuntimeException {
        private final int errorCode;

        RegistryClientException(int errorCode, String message) {
            super(message);
            this.errorCode = errorCode;
        }

        public int errorCode() {
            return errorCode;
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public RegistryClient(String baseUrl) {
        this.baseUrl = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
    }

    /** Registers the schema under the subject if it is not there yet; either way answers its id. */
    @Override
    public int register(String subject, Schema schema) {
        return send("POST", "subjects/" + subject + "/versions", schemaBody(schema)).get("id").asInt();
    }

    /** The id of a schema already registered under the subject, without registering it. */
    @Override
    public int lookup(String subject, Schema schema) {
        return send("POST", "subjects/" + subject, schemaBody(schema)).get("id").asInt();
    }

    @Override
    public Schema byId(int id) {
        try {
            return new Schema.Parser().parse(send("GET", "schemas/ids/" + id, null).get("schema").asString());
        } catch (RegistryClientException e) {
            if (e.errorCode() == 40403) {
                throw new SchemaNotFoundException(id, e);
            }
            throw e;
        }
    }

    @Override
    public Optional<Registered> latest(String subject) {
        try {
            JsonNode answer = send("GET", "subjects/" + subject + "/versions/latest", null);
            return Optional.of(new Registered(answer.get("id").asInt(), new Schema.Parser().parse(answer.get("schema").asString())));
        } catch (RegistryClientException e) {
            if (e.errorCode() == 40401 || e.errorCode() == 40402) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static String schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString()).toString();
    }

    private JsonNode send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(baseUrl.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Accept", SchemaRegistryController.CONTENT_TYPE);
        if (body != null) {
            request.header("Content-Type", SchemaRegistryController.CONTENT_TYPE);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode answer = JSON.readTree(response.body());
            if (response.statusCode() != 200) {
                int code = answer.has("error_code") ? answer.get("error_code").asInt() : response.statusCode();
                String message = answer.has("message") ? answer.get("message").asString() : response.body();
                throw new RegistryClientException(code, "schema registry at " + baseUrl + " refused " + method + " /" + path
                        + ": " + message);
            }
            return answer;
        } catch (IOException e) {
            throw new RegistryClientException(50002, "schema registry at " + baseUrl + " unreachable: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryClientException(50002, "interrupted while calling the schema registry");
        }
    }
}
