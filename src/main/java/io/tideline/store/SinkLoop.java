package io.tideline.store;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Gauge;
import io.tideline.observe.PipelineMetrics;

/**
 * Feeds one {@link RecordSink} from Kafka on its own thread. Offsets come from the sink, never from Kafka's
 * group commit, so a record is applied once however the process dies. When the store refuses a batch the loop
 * rewinds to the batch's first offsets and retries after a back-off: the log is the buffer, nothing is skipped.
 */
public final class SinkLoop implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(SinkLoop.class);

    private final Consumer<String, byte[]> consumer;
    private final RecordSink sink;
    private final Duration backoff;
    private final PipelineMetrics metrics;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong lag = new AtomicLong();
    private volatile boolean healthy = true;
    private volatile String lastError;

    public SinkLoop(Consumer<String, byte[]> consumer, RecordSink sink, Duration backoff,
                    PipelineMetrics metrics) {
        this.consumer = consumer;
        this.sink = sink;
        this.backoff = backoff;
        this.metrics = metrics;
        Gauge.builder("tideline.sink.lag", lag, AtomicLong::get)
                .description("Records in Kafka not yet written by the sink")
                .tag("sink", sink.name()).register(metrics.registry());
    }

    @Override
    public void run() {
        consumer.subscribe(sink.sourceTopics(), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                seekToStored(partitions);
            }

            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            }
        });
        try {
            while (running.get()) {
                ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(200));
                updateLag();
                if (batch.isEmpty()) {
                    continue;
                }
                try {
                    sink.write(batch);
                    metrics.stageRecords(sink.name(), "written", batch.count());
                    healthy = true;
                    consumer.commitAsync(); // informational only (lag tools); the store holds the real offsets
                } catch (RuntimeException e) {
                    healthy = false;
                    lastError = e.getMessage();
                    metrics.stageRecords(sink.name(), "retried", batch.count());
                    log.warn("{} refused a batch of {} records; retrying in {}: {}", sink.name(), batch.count(), backoff, e.toString());
                    rewind(batch);
                    pause();
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void seekToStored(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> stored = sink.storedOffsets(partitions);
        for (TopicPartition partition : partitions) {
            Long next = stored.get(partition);
            if (next != null) {
                consumer.seek(partition, next);
            } else {
                // Never written: the read model is rebuilt from the start of the log.
                consumer.seekToBeginning(List.of(partition));
            }
        }
        log.info("{} assigned {}, resuming at stored offsets {}", sink.name(), partitions, stored);
    }

    private void rewind(ConsumerRecords<String, byte[]> batch) {
        for (TopicPartition partition : batch.partitions()) {
            consumer.seek(partition, batch.records(partition).get(0).offset());
        }
    }

    private void pause() {
        try {
            Thread.sleep(backoff.toMillis()); // back-off between retries of a failed store, not synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }

    private void updateLag() {
        long total = 0;
        for (TopicPartition partition : consumer.assignment()) {
            total += consumer.currentLag(partition).orElse(0);
        }
        lag.set(total);
    }

    public void stop() {
        running.set(false);
        consumer.wakeup();
    }

    public String name() {
        return sink.name();
    }

    public boolean healthy() {
        return healthy;
    }

    public String lastError() {
        return lastError;
    }

    public long lag() {
        return lag.get();
    }
}
