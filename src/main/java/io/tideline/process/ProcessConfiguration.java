package io.tideline.process;

import org.apache.kafka.streams.Topology;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.tideline.config.TidelineProperties;
import io.tideline.ingest.KafkaCloudEventBinding;
import io.tideline.observe.PipelineMetrics;

/** Wires the process stage: creates the topics, builds the topology and runs it. */
@Configuration(proxyBeanMethods = false)
public class ProcessConfiguration {

    @Bean
    Topology pipelineTopology(TidelineProperties config, KafkaCloudEventBinding binding, PipelineMetrics metrics) {
        return PipelineTopology.build(config, binding, metrics);
    }

    @Bean
    StreamsRunner streamsRunner(Topology pipelineTopology, TidelineProperties config, PipelineMetrics metrics) {
        TopicProvisioner.ensureTopics(config);
        return new StreamsRunner(pipelineTopology, config, metrics.registry());
    }
}
