package io.tideline.process;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.tideline.ingest.EventValidator;
import io.tideline.ingest.InvalidEventException;
import io.tideline.ingest.KafkaCloudEventBinding;
import io.tideline.model.EventEnvelope;
import io.tideline.observe.PipelineMetrics;
import io.tideline.schema.FieldViolation;
import io.tideline.schema.registry.PayloadSchemas;

/**
 * First step of the topology: reads a CloudEvent from the ingest topic (any Kafka client, either binding mode),
 * validates it and re-keys it by its partition key, with the event time as record timestamp so that windows
 * are in event time. Nothing thrown here may stop the partition: every failure becomes a rejection.
 */
final class EventNormalizer implements Processor<byte[], byte[], String, Normalized> {

    private static final Logger log = LoggerFactory.getLogger(EventNormalizer.class);
    private static final Duration SCHEMA_WAIT = Duration.ofMinutes(1);

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
            EventEnvelope event = validate(record);
            boolean misrouted = record.key() == null || !Arrays.equals(record.key(), utf8(event.getPartitionKey()));
            valid.increment();
            // A routed event's attributes are all in its envelope now. Its binding headers would otherwise ride
            // along on every record it causes (events, aggregates, changelogs) and on every record-cache entry
            // (six CloudEvents headers were a third of the live heap's growth in a cache filling up). A misrouted
            // event goes back to the ingest topic as it came, headers and all.
            context.forward(record.withKey(event.getPartitionKey())
                    .withValue(Normalized.valid(event, misrouted))
                    .withHeaders(misrouted ? record.headers() : new RecordHeaders())
                    .withTimestamp(event.getTime().toEpochMilli()));
        } catch (InvalidEventException e) {
            reject(record, e.getMessage(), e, e.violations());
        } catch (RuntimeException e) {
            reject(record, "processing failed: " + e, e, List.of());
        }
    }

    /**
     * A schema version the process has not read yet (a producer's new one) while the registry is unreachable: the
     * event may well be valid, so it is not rejected for that — the partition waits (up to a minute; a rejection
     * after that keeps the event, re-drivable, in the dead-letter topic).
     */
    private EventEnvelope validate(Record<byte[], byte[]> record) {
        long deadline = System.nanoTime() + SCHEMA_WAIT.toNanos();
        while (true) {
            try {
                return validator.validate(binding.read(record.headers(), record.value()), Instant.ofEpochMilli(record.timestamp()));
            } catch (PayloadSchemas.SchemaUnavailableException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                log.warn("waiting for the schema registry to validate an event: {}", e.getMessage());
                try {
                    Thread.sleep(1000); // a backoff between attempts, not a wait for a condition
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
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
