package io.tideline.process;

import java.util.Properties;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.tideline.config.TidelineProperties;

/** Runs the topology for the life of the application, and exposes its state to health checks. */
public class StreamsRunner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StreamsRunner.class);

    private final Topology topology;
    private final Properties properties;
    private final MeterRegistry registry;
    private volatile KafkaStreams streams;
    private KafkaStreamsMetrics metrics;

    public StreamsRunner(Topology topology, TidelineProperties config, MeterRegistry registry) {
        this.topology = topology;
        this.properties = streamsProperties(config);
        this.registry = registry;
    }

    public static Properties streamsProperties(TidelineProperties config) {
        TidelineProperties.Streams s = config.streams();
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, s.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, s.processingGuarantee());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, s.commitInterval().toMillis());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, s.threads());
        p.put(StreamsConfig.STATE_DIR_CONFIG, s.stateDir());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.kafka().replicationFactor());
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), config.kafka().compression());
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), (int) s.producerLinger().toMillis());
        p.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), s.producerRetryBackoff().toMillis());
        // Whatever the normalizer does not catch — a record that fails to deserialize on an internal topic, a
        // processor that throws — goes to the same dead-letter topic (Kafka's own headers: __streams.errors.*)
        // instead of stopping the partition.
        if (!s.applicationServer().isBlank()) {
            p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, s.applicationServer());
        }
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, StoreTuning.class);
        p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, config.topics().deadLetter());
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueProcessingExceptionHandler.class);
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        return p;
    }

    @Override
    public void start() {
        streams = new KafkaStreams(topology, properties);
        // A failed thread is replaced rather than the whole application dying: under exactly-once its
        // uncommitted work is aborted and redone, so replacing is safe.
        streams.setUncaughtExceptionHandler(e -> {
            log.error("stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        metrics = new KafkaStreamsMetrics(streams);
        metrics.bindTo(registry);
        streams.start();
        log.info("Kafka Streams started ({})", properties.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
    }

    @Override
    public void stop() {
        KafkaStreams s = streams;
        if (s != null) {
            s.close(java.time.Duration.ofSeconds(30));
            metrics.close();
            streams = null;
        }
    }

    @Override
    public boolean isRunning() {
        return streams != null;
    }

    /** For interactive queries; null before start and after stop. */
    public KafkaStreams streams() {
        return streams;
    }

    /** Null before start and after stop. */
    public KafkaStreams.State state() {
        KafkaStreams s = streams;
        return s == null ? null : s.state();
    }

    /** Start after the stores and the web server are ready; stop before them. */
    @Override
    public int getPhase() {
        return 100;
    }
}
