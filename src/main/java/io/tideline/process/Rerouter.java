package io.tideline.process;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import io.tideline.ingest.KafkaCloudEventBinding;
import io.tideline.model.EventEnvelope;

/**
 * Sends an event that a Kafka client keyed differently from its partition key back to the ingest topic, keyed
 * right. Per-key state (dedupe, baselines) lives in the partition of the key, so this is the repartition — paid
 * only by misrouted records, never by HTTP ingest, which always keys right. The second pass is routed, so no loop.
 */
final class Rerouter implements Processor<String, Normalized, String, byte[]> {

    private final KafkaCloudEventBinding binding;
    private ProcessorContext<String, byte[]> context;

    Rerouter(KafkaCloudEventBinding binding) {
        this.binding = binding;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, Normalized> record) {
        EventEnvelope event = record.value().event();
        context.forward(new Record<>(event.getPartitionKey(), binding.valueFor(event),
                KafkaCloudEventBinding.timestampFor(event), binding.headersFor(event)));
    }
}
