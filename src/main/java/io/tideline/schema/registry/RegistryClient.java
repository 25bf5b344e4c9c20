package io.tideline.schema.registry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A client of any registry speaking Confluent's REST API (Tideline's own, Confluent's, Apicurio's ccompat,
 * Redpanda's). Ids and schemas never change once assigned, so both directions are cached for the life of the
 * client: after the first record of a schema, serializing costs no round trip.
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
    private final Map<String, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();

    public RegistryClient(String baseUrl) {
        this.baseUrl = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
    }

    /** Registers the schema under the subject if it is not there yet; either way answers its id. */
    @Override
    public int register(String subject, Schema schema) {
        return ids.computeIfAbsent(subject + '\u0000' + schema, k -> {
            JsonNode answer = send("POST", "subjects/" + subject + "/versions", schemaBody(schema));
            int id = answer.get("id").asInt();
            schemas.putIfAbsent(id, schema);
            return id;
        });
    }

    /** The id of a schema already registered under the subject, without registering it. */
    @Override
    public int lookup(String subject, Schema schema) {
        return ids.computeIfAbsent(subject + '\u0000' + schema, k ->
                send("POST", "subjects/" + subject, schemaBody(schema)).get("id").asInt());
    }

    @Override
    public Schema byId(int id) {
        try {
            return schema(id);
        } catch (RegistryClientException e) {
            if (e.errorCode() == 40403) {
                throw new SchemaNotFoundException(id, e);
            }
            throw e;
        }
    }

    /** Not cached: the newest version is what changes. */
    @Override
    public Optional<Registered> latest(String subject) {
        try {
            JsonNode answer = send("GET", "subjects/" + subject + "/versions/latest", null);
            Schema schema = new Schema.Parser().parse(answer.get("schema").asString());
            int id = answer.get("id").asInt();
            schemas.putIfAbsent(id, schema);
            return Optional.of(new Registered(id, schema));
        } catch (RegistryClientException e) {
            if (e.errorCode() == 40401 || e.errorCode() == 40402) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public Schema schema(int id) {
        return schemas.computeIfAbsent(id, k -> new Schema.Parser().parse(send("GET", "schemas/ids/" + id, null).get("schema").asString()));
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
