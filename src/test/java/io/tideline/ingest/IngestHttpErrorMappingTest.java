package io.tideline.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tideline.observe.PipelineMetrics;
import io.tideline.support.CloudEvents;
import io.tideline.schema.registry.InMemorySchemaSource;

/**
 * The HTTP contract of {@code POST /v1/events}: status codes and problem bodies. Kafka's own MockProducer stands in
 * for the producer client here; the end-to-end tests run against a real broker.
 */
class IngestHttpErrorMappingTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    private MockProducer<String, byte[]> producer;
    private final IngestAdmission admission = new IngestAdmission(2);
    private MockMvc mvc;

    @BeforeEach
    void setUp() {
        producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        KafkaCloudEventBinding binding = new KafkaCloudEventBinding(IngestConfiguration.eventJson());
        EventPublisher publisher = new EventPublisher(producer, binding, "tideline.ingest", Duration.ofSeconds(1));
        IngestController controller = new IngestController(new HttpEventReader(IngestConfiguration.eventJson(), 3),
                new EventValidator(new InMemorySchemaSource().payloadSchemas()), publisher, new PipelineMetrics(new SimpleMeterRegistry()),
                Clock.fixed(NOW, ZoneOffset.UTC), 2048, admission);
        mvc = MockMvcBuilders.standaloneSetup(controller).setControllerAdvice(new IngestExceptionHandler()).build();
    }

    @Test
    void structuredEventIsAcceptedWith202AndItsIdAndWrittenKeyedByPartitionKey() throws Exception {
        mvc.perform(post("/v1/events").contentType("application/cloudevents+json")
                        .content(CloudEvents.payment("e1", "acct-1", "5", NOW).toString()))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.accepted").value(1))
                .andExpect(jsonPath("$.ids[0]").value("e1"));
        assertThat(producer.history()).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("acct-1");
            assertThat(r.topic()).isEqualTo("tideline.ingest");
            assertThat(CloudEvents.header(r.headers(), "ce_id")).isEqualTo("e1");
            assertThat(r.timestamp()).isEqualTo(NOW.toEpochMilli());
        });
    }

    @Test
    void binaryModeUsesCeHeaders() throws Exception {
        var event = CloudEvents.metric("m1", "cpu", 0.5, NOW);
        mvc.perform(post("/v1/events").contentType("application/json")
                        .header("ce-specversion", "1.0").header("ce-id", "m1").header("ce-source", "/t")
                        .header("ce-type", "metric-sample").content(event.get("data").toString()))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.ids[0]").value("m1"));
        assertThat(producer.history()).hasSize(1);
    }

    @Test
    void batchWithOneInvalidEventIsRejectedWholeNamingEventFieldAndReason() throws Exception {
        var good = CloudEvents.payment("g1", "acct-1", "5", NOW);
        var bad = CloudEvents.payment("b1", "acct-1", "5", NOW);
        ((tools.jackson.databind.node.ObjectNode) bad.get("data")).put("amount", "five");
        mvc.perform(post("/v1/events").contentType("application/cloudevents-batch+json").content("[" + good + "," + bad + "]"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.title").value("Invalid events"))
                .andExpect(jsonPath("$.rejected[0].index").value(1))
                .andExpect(jsonPath("$.rejected[0].id").value("b1"))
                .andExpect(jsonPath("$.rejected[0].errors[0].field").value("data.amount"))
                .andExpect(jsonPath("$.rejected[0].errors[0].reason").value("expected a decimal number, got string \"five\""));
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void unknownTypeIs400() throws Exception {
        var event = CloudEvents.payment("e1", "a", "5", NOW).put("type", "mystery");
        mvc.perform(post("/v1/events").contentType("application/cloudevents+json").content(event.toString()))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.rejected[0].errors[0].field").value("type"));
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void malformedJsonAndBatchProblemsAre400() throws Exception {
        mvc.perform(post("/v1/events").contentType("application/cloudevents+json").content("{not json"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.startsWith("the body is not valid JSON")));
        mvc.perform(post("/v1/events").contentType("application/cloudevents-batch+json").content("{}"))
                .andExpect(status().isBadRequest());
        mvc.perform(post("/v1/events").contentType("application/cloudevents-batch+json").content("[{},{},{},{}]"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("a batch holds at most 3 events, got 4"));
        mvc.perform(post("/v1/events").contentType("application/json").content("{}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("ce-specversion")));
    }

    @Test
    void wrongContentTypeIs415() throws Exception {
        mvc.perform(post("/v1/events").contentType("text/plain").content("hello"))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("application/cloudevents+json")));
    }

    @Test
    void bodyOverTheLimitIs413() throws Exception {
        mvc.perform(post("/v1/events").contentType("application/cloudevents+json").content("x".repeat(4096)))
                .andExpect(status().isPayloadTooLarge());
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void requestsBeyondTheConcurrencyLimitGet429WithRetryAfterAndAPermitIsReturnedAfterEachRequest() throws Exception {
        try (IngestAdmission.Permit first = admission.enter(); IngestAdmission.Permit second = admission.enter()) {
            mvc.perform(post("/v1/events").contentType("application/cloudevents+json")
                            .content(CloudEvents.payment("e1", "a", "5", NOW).toString()))
                    .andExpect(status().isTooManyRequests())
                    .andExpect(header().string("Retry-After", "1"));
        }
        assertThat(producer.history()).isEmpty();
        for (int i = 0; i < 5; i++) { // more requests than permits, one after another: none may leak a permit
            mvc.perform(post("/v1/events").contentType("application/cloudevents+json").content("{bad"))
                    .andExpect(status().isBadRequest());
        }
        mvc.perform(post("/v1/events").contentType("application/cloudevents+json")
                        .content(CloudEvents.payment("e2", "a", "5", NOW).toString()))
                .andExpect(status().isAccepted());
    }

    @Test
    void aFullProducerBufferIs503NotAnUnboundedQueue() throws Exception {
        producer.sendException = new org.apache.kafka.clients.producer.BufferExhaustedException("buffer full");
        mvc.perform(post("/v1/events").contentType("application/cloudevents+json")
                        .content(CloudEvents.payment("e1", "a", "5", NOW).toString()))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "1"))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("buffer full")));
    }

    @Test
    void kafkaFailureIs503WithRetryAfter() throws Exception {
        MockProducer<String, byte[]> failing = new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
        KafkaCloudEventBinding binding = new KafkaCloudEventBinding(IngestConfiguration.eventJson());
        IngestController controller = new IngestController(new HttpEventReader(IngestConfiguration.eventJson(), 3),
                new EventValidator(new InMemorySchemaSource().payloadSchemas()), new EventPublisher(failing, binding, "t", Duration.ofMillis(200)),
                new PipelineMetrics(new SimpleMeterRegistry()), Clock.fixed(NOW, ZoneOffset.UTC), 2048, new IngestAdmission(2));
        MockMvc unavailable = MockMvcBuilders.standaloneSetup(controller).setControllerAdvice(new IngestExceptionHandler()).build();
        unavailable.perform(post("/v1/events").contentType("application/cloudevents+json")
                        .content(CloudEvents.payment("e1", "a", "5", NOW).toString()))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "1"));
    }
}
