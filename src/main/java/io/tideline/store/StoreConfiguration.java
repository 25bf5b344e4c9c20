package io.tideline.store;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.tideline.config.Guarantee;
import io.tideline.config.TidelineProperties;
import io.tideline.observe.PipelineMetrics;

/** Wires the store stage: one consumer loop per store, reading committed output of the process stage. */
@Configuration(proxyBeanMethods = false)
public class StoreConfiguration {

    /** One breaker per store; their state is exported as resilience4j_circuitbreaker_state. */
    @Bean
    CircuitBreakerRegistry sinkBreakers(TidelineProperties config, PipelineMetrics metrics) {
        TidelineProperties.Sink sink = config.sink();
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(4)
                .minimumNumberOfCalls(2)
                .failureRateThreshold(50)
                .waitDurationInOpenState(sink.retryBackoff())
                .permittedNumberOfCallsInHalfOpenState(1)
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .build());
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(metrics.registry());
        return registry;
    }

    @Bean
    SinkRunner sinkRunner(TidelineProperties config, JdbcTemplate jdbc, TransactionTemplate transactions,
                          StringRedisTemplate redis, ReadModelListener listener, PipelineMetrics metrics, Clock clock,
                          CircuitBreakerRegistry sinkBreakers) {
        List<SinkLoop> loops = new ArrayList<>();
        TidelineProperties.Sink sink = config.sink();
        if (sink.postgresEnabled()) {
            PostgresSink postgres = new PostgresSink(jdbc, transactions, config.topics(), metrics, clock);
            loops.add(new SinkLoop(consumer(config, postgres.name(), "read_committed", metrics), postgres,
                    sinkBreakers.circuitBreaker(postgres.name()), metrics));
        }
        if (sink.redisEnabled()) {
            Predicate<String> exactlyOnce = type -> config.guaranteeOf(type) == Guarantee.EXACTLY_ONCE;
            RedisReadModelSink committed = new RedisReadModelSink(redis, RedisReadModelSink.COMMITTED_LANE, exactlyOnce,
                    config.topics(), sink.recentAlerts(), listener, metrics, clock);
            loops.add(new SinkLoop(consumer(config, committed.name(), "read_committed", metrics), committed,
                    sinkBreakers.circuitBreaker(committed.name()), metrics));
            if (config.anyAtLeastOnce()) {
                RedisReadModelSink fast = new RedisReadModelSink(redis, RedisReadModelSink.FAST_LANE, exactlyOnce.negate(),
                        config.topics(), sink.recentAlerts(), listener, metrics, clock);
                loops.add(new SinkLoop(consumer(config, fast.name(), "read_uncommitted", metrics), fast,
                        sinkBreakers.circuitBreaker(fast.name()), metrics));
            }
        }
        return new SinkRunner(loops);
    }

    private static KafkaConsumer<String, byte[]> consumer(TidelineProperties config, String sink, String isolation,
                                                         PipelineMetrics metrics) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, config.streams().applicationId() + "-sink-" + sink,
                ConsumerConfig.CLIENT_ID_CONFIG, "tideline-sink-" + sink,
                // read_committed: an aborted transaction's output never reaches the store. Only the at-least-once
                // lane reads uncommitted output, for types configured so.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.sink().maxPollRecords()),
                new StringDeserializer(), new ByteArrayDeserializer());
        new KafkaClientMetrics(consumer).bindTo(metrics.registry());
        return consumer;
    }
}
