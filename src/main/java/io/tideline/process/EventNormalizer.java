package io.tideline.process;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import io.micrometer.core.instrument.Counter;
import io.tideline.ingest.EventValidator;
import io.tideline.ingest.InvalidEventException;
import io.tideline.ingest.KafkaCloudEventBinding;
import io.tideline.model.EventEnvelope;
import io.tideline.observe.PipelineMetrics;
import io.tideline.schema.FieldViolation;

/**
 * First step of the topology: reads a CloudEvent from the ingest topic (any Kafka client, either binding mode),
 * validates it and re-keys it by its partition key, with the event time as record timestamp so that windows
 * are in event time. Nothing thrown here may stop the partition: every failure becomes a rejection.
 */
final class EventNormalizer implements Processor<byte[], byte[], String, Normalized> {

    private final KafkaCloudEventBinding binding;
    private final EventValidator validator;
    private final Counter valid;
    private final Counter invalid;
    private ProcessorContext<String, Normalized> context;

    EventNormalizer(KafkaCloudEventBinding binding, EventValidator validator, PipelineMetrics metrics) {
        this.binding = binding;
        this.validator = validator;
        this.valid = metrics.stageCounter("normalize", "valid");
        this.invalid = metrics.stageCounter("normalize", "invalid");
    }

    @Override
    public void init(ProcessorContext<String, Normalized> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        try {
            EventEnvelope event = validator.validate(binding.read(record.headers(), record.value()),
                    Instant.ofEpochMilli(record.timestamp()));
            boolean misrouted = record.key() == null || !Arrays.equals(record.key(), utf8(event.getPartitionKey()));
            valid.increment();
            context.forward(record.withKey(event.getPartitionKey())
                    .withValue(Normalized.valid(event, misrouted))
                    .withTimestamp(event.getTime().toEpochMilli()));
        } catch (InvalidEventException e) {
            reject(record, e.getMessage(), e, e.violations());
        } catch (RuntimeException e) {
            reject(record, "processing failed: " + e, e, List.of());
        }
    }

    private void reject(Record<byte[], byte[]> record, String reason, Exception e, List<FieldViolation> violations) {
        invalid.increment();
        context.forward(record.withKey((String) null).withValue(Normalized.rejected(new Normalized.Rejection(
                record.key(), record.value(), reason, e.getClass().getName(), violations))));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
