package io.tideline.store;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.tideline.observe.PipelineMetrics;

/**
 * Feeds one {@link RecordSink} from Kafka on its own thread. Offsets come from the sink, never from Kafka's
 * group commit, so a record is applied once however the process dies.
 * <p>When the store fails, a circuit breaker opens and the loop pauses its partitions: the log is the buffer,
 * nothing is dropped and nothing is acknowledged early. When the breaker lets a trial through, the loop first
 * re-reads the store's own offsets and seeks there — so a store that lost data (a Redis restart) is rebuilt by
 * replay, and one that kept it resumes exactly where it was.
 */
public final class SinkLoop implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(SinkLoop.class);
    private static final Duration POLL = Duration.ofMillis(200);
    /**
     * Group offsets are informational (lag tools read them; the store holds the real ones), so they are committed
     * at most this often rather than after every batch: a commit per batch was 2 % of the process's CPU at
     * 2,500 events/s, and an offset request to the broker each time.
     */
    private static final long GROUP_COMMIT_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    private final Consumer<String, byte[]> consumer;
    private final RecordSink sink;
    private final CircuitBreaker breaker;
    private final Counter written;
    private final Counter failedBatches;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong lag = new AtomicLong();
    private volatile String lastError;
    private boolean seekNeeded;
    private boolean paused;
    private long lastGroupCommit = System.nanoTime();

    public SinkLoop(Consumer<String, byte[]> consumer, RecordSink sink, CircuitBreaker breaker, PipelineMetrics metrics) {
        this.consumer = consumer;
        this.sink = sink;
        this.breaker = breaker;
        this.written = metrics.stageCounter(sink.name(), "written");
        this.failedBatches = metrics.stageCounter(sink.name(), "failed_batches");
        Gauge.builder("tideline.sink.lag", lag, AtomicLong::get)
                .description("Records in Kafka not yet written by the sink")
                .tag("sink", sink.name()).register(metrics.registry());
    }

    @Override
    public void run() {
        consumer.subscribe(sink.sourceTopics(), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                try {
                    seekToStored(partitions);
                } catch (RuntimeException e) {
                    failed(e); // the store is down: seek once it is back
                }
            }

            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                sink.discard(partitions); // its new owner reads them from the stored offsets
            }
        });
        try {
            while (running.get()) {
                if (!breaker.tryAcquirePermission()) {
                    pause();
                    consumer.poll(POLL); // stays in the group; paused partitions return nothing
                    continue;
                }
                long start = System.nanoTime();
                try {
                    if (seekNeeded) {
                        seekToStored(consumer.assignment());
                    }
                    resume();
                    ConsumerRecords<String, byte[]> batch = consumer.poll(POLL);
                    updateLag();
                    if (batch.isEmpty() && !sink.holdsBack()) {
                        breaker.releasePermission();
                        continue;
                    }
                    sink.write(batch);
                    breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                    written.increment(batch.count());
                    lastError = null;
                    maybeCommitGroupOffsets();
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
                    failed(e);
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } finally {
            flushHeld();
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Not needed for correctness (what is held is read again after a restart), only to leave the store current. */
    private void flushHeld() {
        if (sink.holdsBack() && !seekNeeded) {
            try {
                sink.flush();
            } catch (RuntimeException e) {
                log.warn("{} could not write what it held back before stopping; it is read again at the next start: {}",
                        sink.name(), e.toString());
            }
        }
    }

    private void failed(RuntimeException e) {
        failedBatches.increment();
        seekNeeded = true;
        lastError = e.toString();
        log.warn("{} store failed (breaker {}); holding at its stored offsets: {}", sink.name(), breaker.getState(), e.toString());
    }

    private void seekToStored(Collection<TopicPartition> partitions) {
        sink.discard(partitions);
        if (partitions.isEmpty()) {
            seekNeeded = false;
            return;
        }
        Map<TopicPartition, Long> stored = sink.storedOffsets(partitions);
        for (TopicPartition partition : partitions) {
            Long next = stored.get(partition);
            if (next != null) {
                consumer.seek(partition, next);
            } else {
                // Never written, or the store lost it: the read model is rebuilt from the start of the log.
                consumer.seekToBeginning(List.of(partition));
            }
        }
        seekNeeded = false;
        log.info("{} resuming {} at stored offsets {}", sink.name(), partitions, stored);
    }

    private void maybeCommitGroupOffsets() {
        long now = System.nanoTime();
        if (now - lastGroupCommit >= GROUP_COMMIT_INTERVAL_NS) {
            lastGroupCommit = now;
            consumer.commitAsync();
        }
    }

    private void pause() {
        if (!paused) {
            log.warn("{} paused: breaker {}", sink.name(), breaker.getState());
        }
        consumer.pause(consumer.assignment()); // also covers partitions assigned while open
        paused = true;
    }

    private void resume() {
        if (paused) {
            consumer.resume(consumer.assignment());
            paused = false;
            log.info("{} resumed: breaker {}", sink.name(), breaker.getState());
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

    /** Healthy while the breaker is closed: the store takes writes. */
    public boolean healthy() {
        return breaker.getState() == CircuitBreaker.State.CLOSED && lastError == null;
    }

    public CircuitBreaker.State breakerState() {
        return breaker.getState();
    }

    public String lastError() {
        return lastError;
    }

    public long lag() {
        return lag.get();
    }
}
