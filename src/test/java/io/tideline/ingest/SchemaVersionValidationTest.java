package io.tideline.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.tideline.model.EventEnvelope;
import io.tideline.model.EventFamily;
import io.tideline.model.Payment;
import io.tideline.schema.FieldViolation;
import io.tideline.schema.registry.InMemorySchemaSource;
import io.tideline.schema.registry.PayloadSchemas;
import io.tideline.schema.registry.WireFormat;
import io.tideline.support.CloudEvents;
import tools.jackson.databind.node.ObjectNode;

/** Events validated against registered schema versions: newer, older and incompatible ones, in JSON and Avro. */
class SchemaVersionValidationTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private static final String SUBJECT = Payment.getClassSchema().getFullName();
    private static final int V1 = 1;
    /** Payment with a new optional field, as a producer ahead of the pipeline would register it. */
    private static final Schema V2 = withField(Payment.getClassSchema(),
            "{\"name\": \"note\", \"type\": [\"null\", \"string\"], \"default\": null}");

    private final InMemorySchemaSource registry = new InMemorySchemaSource();
    private final PayloadSchemas schemas = registry.payloadSchemas();
    private final EventValidator validator = new EventValidator(schemas);
    private final KafkaCloudEventBinding binding = new KafkaCloudEventBinding(IngestConfiguration.eventJson());

    @Test
    void aFieldNoRegisteredVersionHasIsRejectedByName() {
        ObjectNode event = CloudEvents.payment("e1", "acct-1", "5", NOW);
        ((ObjectNode) event.get("data")).put("note", "hi");
        assertThat(violations(event)).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("data.note");
            assertThat(v.reason()).contains("is not a field of Payment");
        });
    }

    @Test
    void once_v2_isRegisteredItsFieldIsAcceptedAndKeptAsWritten() {
        int v2 = registerV2();
        ObjectNode event = CloudEvents.payment("e1", "acct-1", "5.5", NOW);
        ((ObjectNode) event.get("data")).put("note", "gift");

        EventEnvelope envelope = validator.validate(StructuredEventReader.read(event), NOW);

        assertThat(envelope.getPayloadSchemaId()).isEqualTo(v2);
        assertThat(((Payment) envelope.getPayload()).getAmount()).isEqualByComparingTo(new BigDecimal("5.5"));
        IndexedRecord asWritten = schemas.byId(v2, EventFamily.PAYMENT).decodeAsWritten(WireFormat.copyOf(envelope.getPayloadAsWritten()));
        assertThat(asWritten.get(V2.getField("note").pos())).hasToString("gift");
        // what ingest publishes, the pipeline reads back the same
        EventEnvelope republished = validator.validate(binding.read(binding.headersFor(envelope), binding.valueFor(envelope)), NOW);
        assertThat(republished).isEqualTo(envelope);
    }

    @Test
    void aV1EventStillValidatesWhen_v2_IsCurrent() {
        int v2 = registerV2();
        EventEnvelope envelope = validator.validate(StructuredEventReader.read(CloudEvents.payment("e1", "acct-1", "5", NOW)), NOW);
        assertThat(envelope.getPayloadSchemaId()).isEqualTo(v2); // v1 data is valid v2 data: the note defaults to null
    }

    @Test
    void dataschemaNamesTheVersionJsonIsValidatedAgainst() {
        registerV2();
        ObjectNode event = CloudEvents.payment("e1", "acct-1", "5", NOW).put("dataschema", "http://localhost:8081/schemas/ids/" + V1);
        ((ObjectNode) event.get("data")).put("note", "gift");
        assertThat(violations(event)).extracting(FieldViolation::field).containsExactly("data.note");

        ObjectNode unknown = CloudEvents.payment("e2", "acct-1", "5", NOW).put("dataschema", "http://localhost:8081/schemas/ids/99");
        assertThat(violations(unknown)).singleElement().satisfies(v -> assertThat(v.field()).isEqualTo("dataschema"));
    }

    @Test
    void avroInTheWireFormatIsReadWithTheVersionItNames() {
        int v2 = registerV2();
        GenericData.Record payment = new GenericData.Record(V2);
        payment.put("paymentId", "p1");
        payment.put("account", "acct-1");
        payment.put("merchant", "m1");
        payment.put("amount", new BigDecimal("12.3400"));
        payment.put("currency", "EUR");
        payment.put("country", "DE");
        payment.put("channel", new GenericData.EnumSymbol(V2.getField("channel").schema(), "ONLINE"));
        payment.put("note", "from a v2 producer");
        byte[] framed = schemas.byId(v2, EventFamily.PAYMENT).encode(payment);

        EventEnvelope envelope = validator.validate(binding.read(avroHeaders("e9"), framed), NOW);

        assertThat(envelope.getPayloadSchemaId()).isEqualTo(v2);
        assertThat(((Payment) envelope.getPayload()).getPaymentId()).isEqualTo("p1");
        assertThat(WireFormat.copyOf(envelope.getPayloadAsWritten())).isEqualTo(framed);
    }

    @Test
    void avroWithoutTheWireFormatOrWithAnotherTypesSchemaIsRejected() {
        byte[] plain = {2, 'x'};
        assertThat(catchThrowableOfType(InvalidEventException.class,
                () -> validator.validate(binding.read(avroHeaders("e1"), plain), NOW)).violations())
                .singleElement().satisfies(v -> assertThat(v.reason()).contains("wire format"));
        byte[] metricSchemaId = {0, 0, 0, 0, 4, 2, 'x'};
        assertThat(catchThrowableOfType(InvalidEventException.class,
                () -> validator.validate(binding.read(avroHeaders("e2"), metricSchemaId), NOW)).violations())
                .singleElement().satisfies(v -> assertThat(v.reason()).contains("MetricSample").contains("payment"));
    }

    @Test
    void aNewestVersionThePipelineCannotReadLeavesTheLastReadableOneInUse() {
        int v2 = registerV2();
        String currency = "{\"name\":\"currency\",\"type\":{\"type\":\"string\",\"avro.java.string\":\"String\"}";
        assertThat(Payment.getClassSchema().toString()).contains(currency);
        Schema typeChanged = new Schema.Parser().parse(Payment.getClassSchema().toString()
                .replace(currency, "{\"name\":\"currency\",\"type\":\"int\""));
        int v3 = registry.register(SUBJECT, typeChanged);
        // a refresh is attempted, fails, and v2 stays current
        for (int i = 0; i < 3; i++) {
            validator.validate(StructuredEventReader.read(CloudEvents.payment("e" + i, "acct-1", "5", NOW)), NOW);
        }
        assertThat(schemas.current(EventFamily.PAYMENT).id()).isEqualTo(v2);
        ObjectNode naming = CloudEvents.payment("e9", "acct-1", "5", NOW).put("dataschema", "/schemas/ids/" + v3);
        assertThat(violations(naming)).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("dataschema");
            assertThat(v.reason()).contains("cannot be read as this pipeline's io.tideline.model.Payment").contains("currency");
        });
    }

    private int registerV2() {
        validator.validate(StructuredEventReader.read(CloudEvents.payment("e0", "acct-1", "1", NOW)), NOW); // v1 current
        int v2 = registry.register(SUBJECT, V2);
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> schemas.current(EventFamily.PAYMENT).id() == v2);
        return v2;
    }

    private List<FieldViolation> violations(ObjectNode event) {
        return catchThrowableOfType(InvalidEventException.class,
                () -> validator.validate(StructuredEventReader.read(event), NOW)).violations();
    }

    private static RecordHeaders avroHeaders(String id) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", "1.0".getBytes());
        headers.add("ce_id", id.getBytes());
        headers.add("ce_source", "/test".getBytes());
        headers.add("ce_type", "payment".getBytes());
        headers.add("content-type", "application/avro".getBytes());
        return headers;
    }


    private static Schema withField(Schema schema, String field) {
        String text = schema.toString();
        return new Schema.Parser().parse(text.substring(0, text.length() - 2) + "," + field + "]}");
    }
}
