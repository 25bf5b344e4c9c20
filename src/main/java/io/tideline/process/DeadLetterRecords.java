package io.tideline.process;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import static io.tideline.process.DeadLetterHeaders.*;

/**
 * Turns a rejection back into the original record, with the reason and its provenance in headers, for the
 * dead-letter topic. The original headers are kept so a re-drive reproduces the record exactly.
 */
final class DeadLetterRecords implements Processor<String, Normalized, byte[], byte[]> {

    private ProcessorContext<byte[], byte[]> context;

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, Normalized> record) {
        Normalized.Rejection rejection = record.value().rejection();
        Headers headers = record.headers();
        put(headers, REASON, rejection.reason());
        put(headers, EXCEPTION, rejection.exceptionClass());
        context.recordMetadata().ifPresent((RecordMetadata meta) -> {
            put(headers, TOPIC, meta.topic());
            put(headers, PARTITION, Integer.toString(meta.partition()));
            put(headers, OFFSET, Long.toString(meta.offset()));
        });
        put(headers, TIME, Instant.ofEpochMilli(context.currentSystemTimeMs()).toString());
        context.forward(new Record<>(rejection.originalKey(), rejection.originalValue(), record.timestamp(), headers));
    }

    private static void put(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
