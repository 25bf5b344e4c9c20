package io.tideline.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.tideline.config.Guarantee;
import io.tideline.ingest.IngestConfiguration;
import io.tideline.model.AggregateScope;
import io.tideline.model.WindowAggregate;

/** The live feed's fan-out: every client at its own pace, a stalled one dropped without holding up the others. */
class LiveFeedTest {

    private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");

    private final LiveFeed feed = new LiveFeed(IngestConfiguration.eventJson(), type -> Guarantee.EXACTLY_ONCE, type -> null,
            Duration.ofMillis(10), Duration.ofHours(1), () -> Map.of());
    private final CountDownLatch never = new CountDownLatch(1);

    /** Records what it is sent. */
    private static final class Recording implements FeedClient.Connection {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void send(String event, String json) {
            events.add(event + " " + json);
        }

        @Override
        public void close() {
        }
    }

    /** A client that stopped reading: every write blocks. */
    private final class Stalled implements FeedClient.Connection {
        volatile boolean closed;

        @Override
        public void send(String event, String json) throws java.io.IOException {
            try {
                never.await();
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException("closed");
            }
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @AfterEach
    void close() {
        never.countDown();
        feed.close();
    }

    @Test
    void aStalledClientHoldsUpNoOtherAndIsDroppedOnceFarBehind() {
        Stalled stalled = new Stalled();
        FeedClient stalledClient = feed.subscribe(stalled);
        Recording reading = new Recording();
        feed.subscribe(reading);

        for (int i = 1; i <= LiveFeed.OUTBOX_CAPACITY + 10; i++) {
            feed.aggregatesApplied(List.of(aggregate("acct-" + i, i)));
            int updates = i;
            await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> reading.events.stream().anyMatch(e -> e.contains("\"acct-" + updates + "\"")));
        }

        assertThat(reading.events.get(0)).startsWith("hello ");
        assertThat(reading.events).filteredOn(e -> e.startsWith("aggregates ")).hasSizeGreaterThanOrEqualTo(LiveFeed.OUTBOX_CAPACITY);
        assertThat(stalledClient.isOpen()).as("dropped once its outbox was full").isFalse();
        assertThat(stalled.closed).isTrue();
        assertThat(feed.clientCount()).isEqualTo(1);
    }

    private static WindowAggregate aggregate(String key, long count) {
        return WindowAggregate.newBuilder().setScope(AggregateScope.KEY).setEventType("payment").setSeriesKey(key)
                .setWindowStart(T0).setWindowEnd(T0.plusSeconds(60)).setCount(count).setLastEventTime(T0).build();
    }
}
