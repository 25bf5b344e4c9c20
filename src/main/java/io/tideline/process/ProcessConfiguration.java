package io.tideline.process;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.Topology;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.tideline.config.TidelineProperties;
import io.tideline.ingest.EventValidator;
import io.tideline.ingest.KafkaCloudEventBinding;
import io.tideline.observe.PipelineMetrics;
import io.tideline.schema.registry.PayloadSchemaWarmup;
import io.tideline.schema.registry.PayloadSchemas;
import io.tideline.schema.registry.TopicSerdes;

/** Wires the process stage: creates the topics, builds the topology and runs it. */
@Configuration(proxyBeanMethods = false)
public class ProcessConfiguration {

    @Bean
    Topology pipelineTopology(TidelineProperties config, KafkaCloudEventBinding binding, PayloadSchemas schemas,
                              TopicSerdes topicSerdes, PipelineMetrics metrics) {
        return PipelineTopology.build(config, binding, new EventValidator(schemas), topicSerdes, metrics);
    }

    /** Ingest and the pipeline validate every event against a schema: they start with all of them read. */
    @Bean
    PayloadSchemaWarmup payloadSchemaWarmup(PayloadSchemas schemas) {
        return new PayloadSchemaWarmup(schemas);
    }

    @Bean(destroyMethod = "close")
    Producer<byte[], byte[]> redriveProducer(TidelineProperties config) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Bean
    DeadLetterQueue deadLetterQueue(TidelineProperties config, Producer<byte[], byte[]> redriveProducer) {
        return new DeadLetterQueue(config.kafka().bootstrapServers(), config.topics().deadLetter(),
                List.of(config.topics().ingest()), config.deadLetters().maxRedrives(), redriveProducer);
    }

    @Bean
    StreamsRunner streamsRunner(Topology pipelineTopology, TidelineProperties config, PipelineMetrics metrics) {
        TopicProvisioner.ensureTopics(config);
        return new StreamsRunner(pipelineTopology, config, metrics.registry());
    }
}
