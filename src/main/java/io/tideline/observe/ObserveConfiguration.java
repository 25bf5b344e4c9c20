package io.tideline.observe;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.micrometer.core.instrument.MeterRegistry;
import io.tideline.process.StreamsRunner;
import io.tideline.store.SinkLoop;
import io.tideline.store.SinkRunner;

/** Wires the observe stage: the pipeline's meters and the health of the stages Spring does not know about. */
@Configuration(proxyBeanMethods = false)
public class ObserveConfiguration {

    @Bean
    PipelineMetrics pipelineMetrics(MeterRegistry registry) {
        return new PipelineMetrics(registry);
    }

    /** UP while Kafka Streams runs or rebalances; DOWN once it has stopped or failed. */
    @Bean
    HealthIndicator streamsHealthIndicator(StreamsRunner streams) {
        return () -> {
            var state = streams.state();
            Health.Builder health = state != null && (state.isRunningOrRebalancing() || state == org.apache.kafka.streams.KafkaStreams.State.CREATED)
                    ? Health.up() : Health.down();
            return health.withDetail("state", state == null ? "STOPPED" : state.name()).build();
        };
    }

    /** DOWN while a store refuses writes (the sink is then retrying; nothing is lost, data waits in Kafka). */
    @Bean
    HealthIndicator sinksHealthIndicator(SinkRunner sinks) {
        return () -> {
            Health.Builder health = sinks.loops().stream().allMatch(SinkLoop::healthy) ? Health.up() : Health.down();
            for (SinkLoop loop : sinks.loops()) {
                health.withDetail(loop.name(), loop.healthy() ? "lag " + loop.lag() : "retrying: " + loop.lastError());
            }
            return health.build();
        };
    }
}
