package io.tideline.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tideline.schema.FieldViolation;
import io.tideline.support.CloudEvents;
import io.tideline.schema.registry.InMemorySchemaSource;
import tools.jackson.databind.node.ObjectNode;

class EventValidatorTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private final EventValidator validator = new EventValidator(new InMemorySchemaSource().payloadSchemas());

    private static IncomingEvent incoming(ObjectNode structured) {
        return StructuredEventReader.read(structured);
    }

    @Test
    void partitionKeyDefaultsToThePayloadsNaturalKeyAndTimeToIngestTime() {
        ObjectNode event = CloudEvents.payment("e1", "acct-3", "1", NOW);
        event.remove("time");
        var envelope = validator.validate(incoming(event), NOW);
        assertThat(envelope.getPartitionKey()).isEqualTo("acct-3");
        assertThat(envelope.getTime()).isEqualTo(NOW);
        assertThat(envelope.getIngestTime()).isEqualTo(NOW);
    }

    @Test
    void partitionKeyExtensionWins() {
        ObjectNode event = CloudEvents.payment("e1", "acct-3", "1", NOW).put("partitionkey", "household-9");
        assertThat(validator.validate(incoming(event), NOW).getPartitionKey()).isEqualTo("household-9");
    }

    @Test
    void attributeViolationsAreNamed() {
        ObjectNode event = CloudEvents.payment("", "acct-3", "1", NOW).put("specversion", "0.3").put("time", "yesterday");
        event.remove("source");
        InvalidEventException e = catchThrowableOfType(InvalidEventException.class, () -> validator.validate(incoming(event), NOW));
        assertThat(e.violations()).extracting(FieldViolation::field).containsExactlyInAnyOrder("specversion", "id", "source", "time");
    }

    @Test
    void unknownTypeListsTheKnownOnes() {
        ObjectNode event = CloudEvents.payment("e1", "a", "1", NOW).put("type", "nope");
        InvalidEventException e = catchThrowableOfType(InvalidEventException.class, () -> validator.validate(incoming(event), NOW));
        assertThat(e.violations()).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("type");
            assertThat(v.reason()).contains("unknown event type \"nope\"").contains("payment, ").contains("metric-sample");
        });
    }

    @Test
    void missingDataIsAViolation() {
        ObjectNode event = CloudEvents.payment("e1", "a", "1", NOW);
        event.remove("data");
        InvalidEventException e = catchThrowableOfType(InvalidEventException.class, () -> validator.validate(incoming(event), NOW));
        assertThat(e.violations()).extracting(FieldViolation::field).containsExactly("data");
    }

    @Test
    void avroDataWrittenByTidelinesOwnIngestRoundTrips() {
        KafkaCloudEventBinding binding = new KafkaCloudEventBinding(IngestConfiguration.eventJson());
        var original = validator.validate(incoming(CloudEvents.payment("e1", "acct-3", "7.25", NOW)), NOW);
        var headers = binding.headersFor(original);
        var back = validator.validate(binding.read(headers, binding.valueFor(original)), NOW);
        assertThat(back).isEqualTo(original);
        Map<String, String> copy = new HashMap<>(binding.read(headers, binding.valueFor(original)).attributes());
        assertThat(copy).containsEntry("id", "e1").containsEntry("partitionkey", "acct-3");
    }
}
