package io.tideline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tideline.observe.PipelineMetrics;

/**
 * The loop's side of a sink that holds records back: it calls the sink on empty polls while something is held,
 * never otherwise; it makes the sink forget a partition's held records when the partition is revoked or about to be
 * read again from the stored offsets; and it has the sink write what it holds when it stops. The consumer is
 * Kafka's own MockConsumer, driven from inside its polls so the rebalance callbacks run on the loop's thread.
 */
class SinkLoopTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final String TOPIC = "tideline.aggregates";

    private final TopicPartition p0 = new TopicPartition(TOPIC, 0);
    private final TopicPartition p1 = new TopicPartition(TOPIC, 1);
    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
    private final HoldingSink sink = new HoldingSink();
    private final AtomicInteger polls = new AtomicInteger();
    private SinkLoop loop;
    private Thread thread;

    @AfterEach
    void stop() throws InterruptedException {
        if (thread != null && thread.isAlive()) {
            loop.stop();
            thread.join(DEADLINE.toMillis());
        }
    }

    @Test
    void anEmptyPollReachesTheSinkOnlyWhileItHoldsRecordsBack() {
        sink.holding = false;
        start(List.of(p0));
        awaitPolls(6);
        assertThat(sink.emptyWrites).as("nothing held: an empty poll is not the sink's business").hasValue(0);

        sink.holding = true;
        await().atMost(DEADLINE).until(() -> sink.emptyWrites.get() > 0);
    }

    @Test
    void aRevokedPartitionsHeldRecordsAreDiscarded() {
        start(List.of(p0, p1));
        inPoll(() -> {
            consumer.addRecord(record(p0, 0));
            consumer.addRecord(record(p1, 0));
        });
        await().atMost(DEADLINE).until(() -> sink.held.size() == 2);

        inPoll(() -> consumer.rebalance(List.of(p0)));
        await().atMost(DEADLINE).until(() -> sink.held.size() == 1);
        assertThat(sink.held).extracting(ConsumerRecord::partition).containsExactly(0);
        assertThat(sink.discarded).contains(List.of(p1));
    }

    @Test
    void afterAFailedWriteTheHeldRecordsAreDiscardedAndTheLogIsReadAgainFromTheStoredOffset() {
        start(List.of(p0));
        inPoll(() -> consumer.addRecord(record(p0, 0)));
        await().atMost(DEADLINE).until(() -> sink.held.size() == 1);
        int discards = sink.discarded.size();

        sink.failNextWrite = true;
        inPoll(() -> consumer.addRecord(record(p0, 1)));
        await().atMost(DEADLINE).until(() -> sink.failures.get() == 1 && sink.discarded.size() > discards && sink.held.isEmpty());
        assertThat(sink.discarded.get(discards)).containsExactly(p0);

        // The log again from the stored offset (none: its start). Had the loop not sought back, the consumer's
        // position (2) would skip both records.
        inPoll(() -> {
            consumer.addRecord(record(p0, 0));
            consumer.addRecord(record(p0, 1));
        });
        await().atMost(DEADLINE).until(() -> sink.held.size() == 2);
        assertThat(sink.held).extracting(ConsumerRecord::offset).containsExactly(0L, 1L);
    }

    @Test
    void stoppingHasTheSinkWriteWhatItHolds() throws InterruptedException {
        start(List.of(p0));
        inPoll(() -> consumer.addRecord(record(p0, 0)));
        await().atMost(DEADLINE).until(() -> sink.held.size() == 1);

        loop.stop();
        thread.join(DEADLINE.toMillis());
        assertThat(thread.isAlive()).isFalse();
        assertThat(sink.flushed).extracting(ConsumerRecord::offset).containsExactly(0L);
    }

    private void start(List<TopicPartition> assignment) {
        Map<TopicPartition, Long> beginning = new HashMap<>();
        for (int p = 0; p < 2; p++) {
            beginning.put(new TopicPartition(TOPIC, p), 0L);
        }
        consumer.updateBeginningOffsets(beginning);
        inPoll(() -> consumer.rebalance(assignment));
        loop = new SinkLoop(consumer, sink, CircuitBreaker.ofDefaults("test"), new PipelineMetrics(new SimpleMeterRegistry()));
        thread = new Thread(loop, "sink-loop-test");
        thread.start();
    }

    /** Runs the action inside the loop's next poll, then keeps counting polls. */
    private void inPoll(Runnable action) {
        consumer.schedulePollTask(() -> {
            action.run();
            countPolls();
        });
    }

    private void countPolls() {
        polls.incrementAndGet();
        consumer.schedulePollTask(this::countPolls);
    }

    private void awaitPolls(int n) {
        int from = polls.get();
        await().atMost(DEADLINE).until(() -> polls.get() >= from + n);
    }

    private static ConsumerRecord<String, byte[]> record(TopicPartition partition, long offset) {
        return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, "k", new byte[] {1});
    }

    /** Holds every record back until it is flushed; stores nothing, so its stored offsets are the log's start. */
    private static final class HoldingSink implements RecordSink {
        final List<ConsumerRecord<String, byte[]>> held = new CopyOnWriteArrayList<>();
        final List<ConsumerRecord<String, byte[]>> flushed = new CopyOnWriteArrayList<>();
        final List<Collection<TopicPartition>> discarded = new CopyOnWriteArrayList<>();
        final AtomicInteger emptyWrites = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        volatile boolean holding = true;
        volatile boolean failNextWrite;

        @Override
        public String name() {
            return "holding";
        }

        @Override
        public List<String> sourceTopics() {
            return List.of(TOPIC);
        }

        @Override
        public Map<TopicPartition, Long> storedOffsets(Collection<TopicPartition> partitions) {
            return Map.of();
        }

        @Override
        public void write(ConsumerRecords<String, byte[]> batch) {
            if (batch.isEmpty()) {
                emptyWrites.incrementAndGet();
                return;
            }
            batch.forEach(held::add);
            if (failNextWrite) {
                failNextWrite = false;
                failures.incrementAndGet();
                throw new IllegalStateException("the store refused the batch");
            }
        }

        @Override
        public boolean holdsBack() {
            return holding;
        }

        @Override
        public void flush() {
            flushed.addAll(held);
            held.clear();
        }

        @Override
        public void discard(Collection<TopicPartition> partitions) {
            discarded.add(new ArrayList<>(partitions));
            held.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
        }
    }
}
