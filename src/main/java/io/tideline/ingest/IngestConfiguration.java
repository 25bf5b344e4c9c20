package io.tideline.ingest;

import java.time.Clock;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.tideline.config.TidelineProperties;
import io.tideline.observe.PipelineMetrics;
import io.tideline.schema.registry.PayloadSchemas;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** Wires the ingest stage: the HTTP endpoint and the idempotent producer behind it. */
@Configuration(proxyBeanMethods = false)
public class IngestConfiguration {

    /** Event JSON keeps decimals exact: a payment of 0.1 must not become 0.1000000000000000055. */
    public static ObjectMapper eventJson() {
        return JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    }

    @Bean
    KafkaCloudEventBinding kafkaCloudEventBinding() {
        return new KafkaCloudEventBinding(eventJson());
    }

    @Bean(destroyMethod = "close")
    Producer<String, byte[]> ingestProducer(TidelineProperties config, PipelineMetrics metrics) {
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProperties(config),
                new StringSerializer(), new ByteArraySerializer());
        new KafkaClientMetrics(producer).bindTo(metrics.registry());
        return producer;
    }

    /** Durable and ordered: a 202 is only sent once every in-sync replica has the events. */
    public static Map<String, Object> producerProperties(TidelineProperties config) {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, config.kafka().compression(),
                ProducerConfig.LINGER_MS_CONFIG, (int) config.kafka().linger().toMillis(),
                ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(config.ingest().sendTimeout().toMillis(), 5_000 + config.kafka().linger().toMillis()),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(config.ingest().sendTimeout().toMillis(), 5_000),
                // Bounded memory: a full buffer is backpressure (503), not an ever-growing queue.
                ProducerConfig.BUFFER_MEMORY_CONFIG, config.ingest().producerBuffer().toBytes(),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) config.ingest().bufferWait().toMillis());
    }

    @Bean
    EventPublisher eventPublisher(Producer<String, byte[]> ingestProducer, KafkaCloudEventBinding binding, TidelineProperties config) {
        return new EventPublisher(ingestProducer, binding, config.topics().ingest(), config.ingest().sendTimeout());
    }

    @Bean
    IngestController ingestController(EventPublisher publisher, PipelineMetrics metrics, Clock clock, TidelineProperties config,
                                      PayloadSchemas schemas) {
        return new IngestController(new HttpEventReader(eventJson(), config.ingest().maxBatchSize()), new EventValidator(schemas),
                publisher, metrics, clock, config.ingest().maxBodySize().toBytes(),
                new IngestAdmission(config.ingest().maxConcurrentRequests()));
    }
}
