package io.tideline.store;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.TimeoutOptions;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.tideline.config.TidelineProperties;
import io.tideline.definition.MetricDefinition;
import io.tideline.definition.PipelineDefinition;
import io.tideline.observe.PipelineMetrics;
import io.tideline.schema.registry.PayloadSchemas;
import io.tideline.schema.registry.TopicSerdes;

/** Wires the store stage: one consumer loop per store, reading the output of the process stage. */
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

    /** Shared by the sinks for records they cannot read; closed after them (beans close in reverse order). */
    /**
     * By default Lettuce queues commands while it reconnects, re-sends the ones in flight when a connection drops,
     * and puts no timeout on a pipeline's commands: a read-model write made around a Redis outage then waited for
     * Redis to return (90 s in one CI run) instead of failing, and the sink, seeing no failure, reported nothing.
     * Commands are rejected while disconnected and every command times out with {@code spring.data.redis.timeout},
     * so the write fails like any store write and the sink's breaker takes over.
     */
    @Bean
    LettuceClientOptionsBuilderCustomizer failFastWhileRedisIsDown(@Value("${spring.data.redis.timeout:2s}") Duration timeout) {
        return options -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout));
    }

    @Bean(destroyMethod = "close")
    KafkaProducer<String, byte[]> sinkDeadLetterProducer(TidelineProperties config) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers(),
                ProducerConfig.CLIENT_ID_CONFIG, "tideline-sink-dead-letters",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new ByteArraySerializer());
    }

    @Bean
    SinkRunner sinkRunner(TidelineProperties config, JdbcTemplate jdbc, TransactionTemplate transactions,
                          StringRedisTemplate redis, ReadModelListener listener, PipelineMetrics metrics, Clock clock,
                          CircuitBreakerRegistry sinkBreakers, KafkaProducer<String, byte[]> sinkDeadLetterProducer,
                          PayloadSchemas schemas, TopicSerdes topicSerdes, PipelineDefinition definition) {
        List<SinkLoop> loops = new ArrayList<>();
        TidelineProperties.Sink sink = config.sink();
        SinkDeadLetters deadLetters = new SinkDeadLetters(sinkDeadLetterProducer, config.topics().deadLetter(), metrics, clock);
        if (sink.postgresEnabled()) {
            PostgresSink postgres = new PostgresSink(jdbc, transactions, config.topics(), schemas, topicSerdes, deadLetters,
                    metrics, clock, definition.resultsIn(MetricDefinition.Destination.POSTGRES),
                    sink.postgresSynchronousCommit(), sink.postgresWindowFlushInterval());
            loops.add(new SinkLoop(consumer(config, postgres.name(), "read_committed", metrics), postgres,
                    sinkBreakers.circuitBreaker(postgres.name()), metrics));
        }
        if (sink.redisEnabled()) {
            RedisReadModelSink readModel = new RedisReadModelSink(redis, config.topics(), sink.recentAlerts(), listener,
                    topicSerdes, deadLetters, metrics, clock, definition.resultsIn(MetricDefinition.Destination.REDIS));
            loops.add(new SinkLoop(consumer(config, readModel.name(), sink.readModelIsolation(), metrics), readModel,
                    sinkBreakers.circuitBreaker(readModel.name()), metrics));
        }
        return new SinkRunner(loops);
    }

    private static KafkaConsumer<String, byte[]> consumer(TidelineProperties config, String sink, String isolation,
                                                         PipelineMetrics metrics) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, config.streams().applicationId() + "-sink-" + sink,
                ConsumerConfig.CLIENT_ID_CONFIG, "tideline-sink-" + sink,
                // PostgreSQL reads committed output only; the read model reads uncommitted by default, safe
                // because of what its Lua scripts check (docs/design/exactly-once.md).
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.sink().maxPollRecords(),
                ConsumerConfig.FETCH_MIN_BYTES_CONFIG, (int) config.sink().fetchMinSize().toBytes(),
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) config.sink().fetchMaxWait().toMillis()),
                new StringDeserializer(), new ByteArrayDeserializer());
        new KafkaClientMetrics(consumer).bindTo(metrics.registry());
        return consumer;
    }
}
