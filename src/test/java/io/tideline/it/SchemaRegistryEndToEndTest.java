package io.tideline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import io.tideline.model.EventFamily;
import io.tideline.schema.registry.RegistryAvroSerde;
import io.tideline.schema.registry.RegistryClient;
import io.tideline.schema.registry.SubjectNameStrategy;
import io.tideline.schema.registry.WireFormat;

import tools.jackson.databind.JsonNode;

/**
 * The schema registry's Confluent-compatible API over HTTP, on the real PostgreSQL. Every test uses subjects of
 * its own; only subject-level compatibility is changed, so tests do not see each other.
 */
@EndToEndTest
class SchemaRegistryEndToEndTest extends EndToEndSupport {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static String schema(String fields) {
        return "{\"type\":\"record\",\"name\":\"Payment\",\"namespace\":\"test\",\"fields\":[" + fields + "]}";
    }

    private static final String V1 = schema("{\"name\":\"amount\",\"type\":\"string\"}");
    private static final String V2_OPTIONAL = schema("{\"name\":\"amount\",\"type\":\"string\"},"
            + "{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null}");
    private static final String REQUIRED_FIELD = schema("{\"name\":\"amount\",\"type\":\"string\"},{\"name\":\"note\",\"type\":\"string\"}");
    private static final String NO_AMOUNT = schema("");

    private record Answer(int status, JsonNode body, String contentType) {
    }

    private Answer call(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept", CONTENT_TYPE);
        if (body != null) {
            request.header("Content-Type", CONTENT_TYPE);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body().isEmpty() ? null : JSON.readTree(response.body()),
                response.headers().firstValue("Content-Type").orElse(""));
    }

    private static String schemaBody(String schema) {
        return JSON.createObjectNode().put("schema", schema).toString();
    }

    private static String subject() {
        return "payments-" + UUID.randomUUID() + "-value";
    }

    private int register(String subject, String schema) throws Exception {
        Answer a = call("POST", "/subjects/" + subject + "/versions", schemaBody(schema));
        assertThat(a.status()).as(a.body() == null ? "" : a.body().toString()).isEqualTo(200);
        return a.body().get("id").asInt();
    }

    @Test
    void aSchemaHasOneIdAcrossSubjectsAndRegisteringItAgainAddsNoVersion() throws Exception {
        String subject = subject();
        String other = subject();
        int id = register(subject, V1);
        assertThat(register(subject, V1)).isEqualTo(id);
        assertThat(register(other, V1)).isEqualTo(id);

        Answer versions = call("GET", "/subjects/" + subject + "/versions", null);
        assertThat(versions.body().toString()).isEqualTo("[1]");
        assertThat(versions.contentType()).startsWith(CONTENT_TYPE);
        assertThat(call("GET", "/schemas/ids/" + id, null).body().get("schema").asString()).contains("\"amount\"");
        assertThat(call("GET", "/schemas/ids/" + id + "/versions", null).body().toString())
                .contains("{\"subject\":\"" + subject + "\",\"version\":1}", "{\"subject\":\"" + other + "\",\"version\":1}");
        assertThat(call("GET", "/subjects", null).body().toString()).contains(subject, other);

        JsonNode latest = call("GET", "/subjects/" + subject + "/versions/latest", null).body();
        assertThat(latest.get("version").asInt()).isEqualTo(1);
        assertThat(latest.get("id").asInt()).isEqualTo(id);
        assertThat(latest.get("subject").asString()).isEqualTo(subject);
        JsonNode found = call("POST", "/subjects/" + subject, schemaBody(V1)).body();
        assertThat(found.get("version").asInt()).isEqualTo(1);
        assertThat(found.get("id").asInt()).isEqualTo(id);
        assertThat(call("GET", "/subjects/" + subject + "/versions/1/schema", null).body().get("name").asString()).isEqualTo("Payment");
    }

    @Test
    void underTheDefaultBackwardLevelAnOptionalFieldIsAcceptedAndARequiredOneRefused() throws Exception {
        String subject = subject();
        register(subject, V1);

        Answer refused = call("POST", "/subjects/" + subject + "/versions", schemaBody(REQUIRED_FIELD));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body().get("error_code").asInt()).isEqualTo(409);
        assertThat(refused.body().get("message").asString()).contains("incompatible", "READER_FIELD_MISSING_DEFAULT_VALUE", "'note'");
        int v2 = register(subject, V2_OPTIONAL);
        assertThat(call("GET", "/subjects/" + subject + "/versions", null).body().toString()).isEqualTo("[1,2]");
        assertThat(call("GET", "/subjects/" + subject + "/versions/latest", null).body().get("id").asInt()).isEqualTo(v2);

        JsonNode test = call("POST", "/compatibility/subjects/" + subject + "/versions/latest?verbose=true",
                schemaBody(REQUIRED_FIELD)).body();
        assertThat(test.get("is_compatible").asBoolean()).isFalse();
        assertThat(test.get("messages").get(0).asString()).contains("note");
        assertThat(call("POST", "/compatibility/subjects/" + subject + "/versions/1", schemaBody(V2_OPTIONAL))
                .body().get("is_compatible").asBoolean()).isTrue();
    }

    @Test
    void aSubjectLevelOverridesTheGlobalOne() throws Exception {
        String subject = subject();
        register(subject, V1);
        assertThat(call("GET", "/config/" + subject, null).body().get("error_code").asInt()).isEqualTo(40408);
        String global = call("GET", "/config", null).body().get("compatibilityLevel").asString();
        assertThat(call("GET", "/config/" + subject + "?defaultToGlobal=true", null).body().get("compatibilityLevel").asString())
                .isEqualTo(global);

        assertThat(call("PUT", "/config/" + subject, "{\"compatibility\":\"FORWARD\"}").body().get("compatibility").asString())
                .isEqualTo("FORWARD");
        // forward: a new required field is fine (old readers ignore it), dropping one is not (old readers need it)
        assertThat(call("POST", "/subjects/" + subject + "/versions", schemaBody(NO_AMOUNT)).status()).isEqualTo(409);
        register(subject, REQUIRED_FIELD);

        Answer bad = call("PUT", "/config/" + subject, "{\"compatibility\":\"SIDEWAYS\"}");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.body().get("error_code").asInt()).isEqualTo(42203);
        assertThat(call("DELETE", "/config/" + subject, null).body().get("compatibilityLevel").asString()).isEqualTo("FORWARD");
        assertThat(call("GET", "/config/" + subject, null).status()).isEqualTo(404);
    }

    @Test
    void deletionIsSoftBeforeItIsPermanent() throws Exception {
        String subject = subject();
        register(subject, V1);
        register(subject, V2_OPTIONAL);

        Answer notSoftDeleted = call("DELETE", "/subjects/" + subject + "/versions/1?permanent=true", null);
        assertThat(notSoftDeleted.body().get("error_code").asInt()).isEqualTo(40407);
        assertThat(call("DELETE", "/subjects/" + subject + "/versions/1", null).body().asInt()).isEqualTo(1);
        assertThat(call("GET", "/subjects/" + subject + "/versions", null).body().toString()).isEqualTo("[2]");
        assertThat(call("GET", "/subjects/" + subject + "/versions?deleted=true", null).body().toString()).isEqualTo("[1,2]");
        assertThat(call("GET", "/subjects/" + subject + "/versions/1", null).body().get("error_code").asInt()).isEqualTo(40402);

        assertThat(call("DELETE", "/subjects/" + subject + "?permanent=true", null).body().get("error_code").asInt()).isEqualTo(40405);
        assertThat(call("DELETE", "/subjects/" + subject, null).body().toString()).isEqualTo("[2]");
        assertThat(call("GET", "/subjects/" + subject + "/versions", null).body().get("error_code").asInt()).isEqualTo(40401);
        assertThat(call("GET", "/subjects", null).body().toString()).doesNotContain(subject);
        assertThat(call("DELETE", "/subjects/" + subject + "?permanent=true", null).body().toString()).isEqualTo("[1,2]");
        assertThat(call("GET", "/subjects?deleted=true", null).body().toString()).doesNotContain(subject);
    }

    @Test
    void theEventFamiliesSchemasAreRegisteredAtStartUnderTheirRecordNames() throws Exception {
        for (EventFamily family : EventFamily.values()) {
            JsonNode latest = call("GET", "/subjects/" + family.schema().getFullName() + "/versions/latest", null).body();
            assertThat(new Schema.Parser().parse(latest.get("schema").asString())).isEqualTo(family.schema());
        }
    }

    @Test
    void badRequestsGetConfluentsErrorCodes() throws Exception {
        String subject = subject();
        Answer invalid = call("POST", "/subjects/" + subject + "/versions", schemaBody("{\"type\":\"record\",\"name\":\"X\"}"));
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.body().get("error_code").asInt()).isEqualTo(42201);
        assertThat(call("GET", "/subjects/" + subject + "/versions/1", null).body().get("error_code").asInt()).isEqualTo(40401);
        register(subject, V1);
        assertThat(call("GET", "/subjects/" + subject + "/versions/zero", null).body().get("error_code").asInt()).isEqualTo(42202);
        assertThat(call("POST", "/subjects/" + subject, schemaBody(V2_OPTIONAL)).body().get("error_code").asInt()).isEqualTo(40403);
        assertThat(call("GET", "/schemas/ids/999999999", null).body().get("error_code").asInt()).isEqualTo(40403);
        assertThat(call("POST", "/subjects/" + subject + "/versions", "{\"schema\":").status()).isEqualTo(400);
        assertThat(call("GET", "/schemas/types", null).body().toString()).isEqualTo("[\"AVRO\"]");
    }

    @Test
    void recordsWrittenWithOneVersionAreReadAsAnotherThroughTheWireFormat() {
        String topic = "evolving-" + UUID.randomUUID();
        String url = "http://127.0.0.1:" + port;
        Schema v1 = new Schema.Parser().parse(V1);
        Schema v2 = new Schema.Parser().parse(V2_OPTIONAL);
        GenericRecord old = new GenericData.Record(v1);
        old.put("amount", "12.50");
        GenericRecord current = new GenericData.Record(v2);
        current.put("amount", "7.00");
        current.put("note", "gift");

        RegistryAvroSerde<GenericRecord> producer = new RegistryAvroSerde<>(new RegistryClient(url), SubjectNameStrategy.TOPIC_NAME,
                false, true, null);
        byte[] written1 = producer.serialize(topic, old);
        byte[] written2 = producer.serialize(topic, current);
        assertThat(written1[0]).isZero();
        assertThat(WireFormat.schemaId(written1)).isNotEqualTo(WireFormat.schemaId(written2));

        RegistryAvroSerde<GenericRecord> v2Reader = new RegistryAvroSerde<>(new RegistryClient(url), SubjectNameStrategy.TOPIC_NAME,
                false, true, v2);
        assertThat(v2Reader.deserialize(written1).get("note")).isNull();
        assertThat(v2Reader.deserialize(written1).get("amount").toString()).isEqualTo("12.50");
        assertThat(v2Reader.deserialize(written2).get("note").toString()).isEqualTo("gift");
        RegistryAvroSerde<GenericRecord> v1Reader = new RegistryAvroSerde<>(new RegistryClient(url), SubjectNameStrategy.TOPIC_NAME,
                false, true, v1);
        GenericRecord downgraded = v1Reader.deserialize(written2);
        assertThat(downgraded.getSchema().getField("note")).isNull();
        assertThat(downgraded.get("amount").toString()).isEqualTo("7.00");

        GenericRecord incompatible = new GenericData.Record(new Schema.Parser().parse(REQUIRED_FIELD));
        incompatible.put("amount", "1.00");
        incompatible.put("note", "required");
        // as Confluent's serializer: a SerializationException (what a producer's send throws) with the registry's answer
        assertThatThrownBy(() -> producer.serialize(topic, incompatible)).isInstanceOf(SerializationException.class)
                .cause().isInstanceOfSatisfying(RegistryClient.RegistryClientException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(409);
                    assertThat(e.getMessage()).contains("'note'");
                });
        RegistryAvroSerde<GenericRecord> lookupOnly = new RegistryAvroSerde<>(new RegistryClient(url), SubjectNameStrategy.RECORD_NAME,
                false, false, null);
        assertThatThrownBy(() -> lookupOnly.serialize(topic, old)).isInstanceOf(SerializationException.class).cause()
                .isInstanceOfSatisfying(RegistryClient.RegistryClientException.class, e -> assertThat(e.errorCode()).isEqualTo(40401));
    }
}
