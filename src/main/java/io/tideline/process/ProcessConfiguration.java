package io.tideline.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.tideline.config.TidelineProperties;
import io.tideline.definition.DefinitionParser;
import io.tideline.definition.PipelineDefinition;
import io.tideline.ingest.EventValidator;
import io.tideline.ingest.KafkaCloudEventBinding;
import io.tideline.observe.PipelineMetrics;
import io.tideline.schema.registry.PayloadSchemaWarmup;
import io.tideline.schema.registry.PayloadSchemas;
import io.tideline.schema.registry.TopicSerdes;

/** Wires the process stage: creates the topics, builds the topology and runs it. */
@Configuration(proxyBeanMethods = false)
public class ProcessConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ProcessConfiguration.class);

    @Bean
    Topology pipelineTopology(TidelineProperties config, KafkaCloudEventBinding binding, PayloadSchemas schemas,
                              TopicSerdes topicSerdes, PipelineDefinition definition, PipelineMetrics metrics) {
        return PipelineTopology.build(config, binding, new EventValidator(schemas), topicSerdes, definition, metrics);
    }

    /** The declared metrics and rules; a definition with any problem stops the start-up, naming each line. */
    @Bean
    PipelineDefinition pipelineDefinition(TidelineProperties config) {
        String file = config.analytics().definition();
        if (file.isBlank()) {
            return PipelineDefinition.empty();
        }
        PipelineDefinition definition = DefinitionParser.load(Path.of(file));
        log.info("pipeline definition {}: {} metrics, {} anomaly rules, {} sequence rules, {} enrichments", file,
                definition.metrics().size(), definition.anomalies().size(), definition.sequences().size(),
                definition.enrichments().size());
        return definition;
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
    StreamsRunner streamsRunner(Topology pipelineTopology, TidelineProperties config, PipelineDefinition definition,
                                PipelineMetrics metrics) {
        TopicProvisioner.ensureTopics(config, definition);
        return new StreamsRunner(pipelineTopology, config, metrics.registry());
    }
}
