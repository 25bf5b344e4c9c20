package io.tideline.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.internals.TimeWindow;
import org.apache.kafka.streams.state.KeyValueIterator;

import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tideline.model.EventEnvelope;
import io.tideline.model.Payment;
import io.tideline.model.PaymentChannel;
import io.tideline.model.WindowAggregate;
import io.tideline.model.internal.SeriesStats;
import io.tideline.observe.PipelineMetrics;
import io.tideline.schema.AvroSerde;

/**
 * The aggregator across a restart of its task: a new processor over the stores the old one left, as Kafka Streams
 * gives a task that starts again after a crash or a rebalance (the stores restored to the last commit).
 */
class WindowedSeriesAggregatorTest {

    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final Duration GRACE = Duration.ofSeconds(10);
    private static final Duration BEAT = Duration.ofMillis(20);
    private static final Instant T0 = Instant.parse("2026-12-01T20:00:00Z");

    private WindowStore<String, SeriesStats> keyWindows;
    private WindowStore<String, SeriesStats> typeParts;
    private MockProcessorContext<String, WindowAggregate> context;
    private WindowedSeriesAggregator aggregator;
    /** The task's stream time, which it commits with its offsets and so keeps across a restart. */
    private long streamTime = T0.minusSeconds(60).toEpochMilli();

    @BeforeEach
    void stores() {
        keyWindows = store(WindowedSeriesAggregator.STORE);
        typeParts = store(WindowedSeriesAggregator.TYPE_PARTS_STORE);
        startTask();
    }

    @Test
    void aTypesPartIsSentAgainWhenItsTaskStartsAgainAndGoesOnFromWhereItWas() {
        process("acct-1", "1", T0, T0);
        process("acct-2", "2.5", T0.plusSeconds(1), T0.plusSeconds(1));
        assertThat(beat().get("TYPE|payment|").getCount()).isEqualTo(2);

        startTask();

        Map<String, WindowAggregate> resent = beat();
        assertThat(resent).containsOnlyKeys("TYPE|payment|");
        WindowAggregate part = resent.get("TYPE|payment|");
        assertThat(part.getCount()).isEqualTo(2);
        assertThat(part.getSum()).isEqualByComparingTo("3.5");
        assertThat(part.getMin()).isEqualByComparingTo("1");
        assertThat(part.getMax()).isEqualByComparingTo("2.5");
        assertThat(part.getLastEventTime()).isEqualTo(T0.plusSeconds(1));
        assertThat(part.getPart()).isEqualTo(3);

        process("acct-3", "0.5", T0.plusSeconds(2), T0.plusSeconds(2));
        WindowAggregate after = beat().get("TYPE|payment|");
        assertThat(after.getCount()).isEqualTo(3);
        assertThat(after.getSum()).isEqualByComparingTo("4");
        assertThat(after.getMin()).isEqualByComparingTo("0.5");
    }

    @Test
    void aWindowAheadOfTheStreamsTimeKeepsItsPartAcrossARestartAndWhenItComesOfAge() {
        Instant ahead = T0.plus(Duration.ofMinutes(10));
        process("acct-1", "4", ahead, T0);
        process("acct-2", "6", ahead.plusSeconds(1), T0.plusSeconds(1));

        startTask();
        beat();
        process("acct-1", "1", ahead.plusSeconds(2), ahead.plusSeconds(2));
        process("acct-3", "2", ahead.plusSeconds(3), ahead.plusSeconds(3));

        WindowAggregate part = beat().get("TYPE|payment|");
        assertThat(part.getWindowStart()).isEqualTo(Instant.ofEpochMilli(windowStart(ahead)));
        assertThat(part.getCount()).isEqualTo(4);
        assertThat(part.getSum()).isEqualByComparingTo("13");
        assertThat(part.getMin()).isEqualByComparingTo("1");
        assertThat(part.getMax()).isEqualByComparingTo("6");
    }

    @Test
    void aProcessorInitialisedAgainForgetsWhatItHeldAndStartsFromTheStores() {
        process("acct-1", "1", T0, T0);
        // Work the stores never saw (as if rolled back with an aborted transaction) must not survive a new init.
        keyWindows.put(SeriesKey.ofKey("payment", "acct-1").encode(), null, windowStart(T0));
        typeParts.put("payment", null, windowStart(T0));

        aggregator.init(context);
        context.resetForwards();
        process("acct-1", "2", T0.plusSeconds(1), T0.plusSeconds(1));

        assertThat(context.forwarded()).extracting(f -> f.record().value().getCount()).containsExactly(1L);
        assertThat(beat().get("TYPE|payment|").getCount()).isEqualTo(1);
    }

    /** A new processor over the same stores, as a task that starts again gets. */
    private void startTask() {
        context = new MockProcessorContext<>(new java.util.Properties(), new org.apache.kafka.streams.processor.TaskId(0, 3), null);
        context.setCurrentStreamTimeMs(streamTime);
        context.addStateStore(keyWindows);
        context.addStateStore(typeParts);
        aggregator = new WindowedSeriesAggregator(WINDOW, GRACE, BEAT, new PipelineMetrics(new SimpleMeterRegistry()));
        aggregator.init(context);
    }

    /**
     * A window store as the processor uses one — put, point fetch, iteration of everything — over a sorted map: the
     * stores Kafka Streams builds refuse a context outside a running task, and a new processor over the same store
     * is what this test is about. Values are kept serialized, so a processor cannot change one behind the store.
     */
    @SuppressWarnings("unchecked")
    private static WindowStore<String, SeriesStats> store(String name) {
        AvroSerde<SeriesStats> serde = AvroSerde.of(SeriesStats.getClassSchema());
        TreeMap<Map.Entry<String, Long>, byte[]> windows = new TreeMap<>(
                Map.Entry.<String, Long>comparingByKey().thenComparing(Map.Entry.comparingByValue()));
        InvocationHandler handler = (proxy, method, args) -> {
            switch (method.getName()) {
                case "put":
                    if (args[1] == null) {
                        windows.remove(Map.entry((String) args[0], (Long) args[2]));
                    } else {
                        windows.put(Map.entry((String) args[0], (Long) args[2]), serde.toBytes((SeriesStats) args[1]));
                    }
                    return null;
                case "fetch":
                    if (args.length == 2 && args[1] instanceof Long windowStart) {
                        byte[] value = windows.get(Map.entry((String) args[0], windowStart));
                        return value == null ? null : serde.fromBytes(value);
                    }
                    break;
                case "all":
                    Iterator<KeyValue<Windowed<String>, SeriesStats>> all = windows.entrySet().stream()
                            .map(e -> KeyValue.pair(new Windowed<>(e.getKey().getKey(), new TimeWindow(e.getKey().getValue(),
                                    e.getKey().getValue() + WINDOW.toMillis())), serde.fromBytes(e.getValue())))
                            .toList().iterator();
                    return new KeyValueIterator<Windowed<String>, SeriesStats>() {
                        public boolean hasNext() {
                            return all.hasNext();
                        }

                        public KeyValue<Windowed<String>, SeriesStats> next() {
                            return all.next();
                        }

                        public Windowed<String> peekNextKey() {
                            throw new UnsupportedOperationException();
                        }

                        public void close() {
                        }
                    };
                case "name":
                    return name;
                case "isOpen":
                    return true;
                case "persistent":
                    return false;
                case "init", "flush", "close":
                    return null;
                default:
                    break;
            }
            throw new UnsupportedOperationException(method + " is not used by the aggregator");
        };
        return (WindowStore<String, SeriesStats>) Proxy.newProxyInstance(WindowStore.class.getClassLoader(),
                new Class<?>[] {WindowStore.class}, handler);
    }

    /** One payment, its event time and its arrival (the stream's time). */
    private void process(String account, String amount, Instant eventTime, Instant arrival) {
        streamTime = Math.max(streamTime, arrival.toEpochMilli());
        context.setCurrentStreamTimeMs(streamTime);
        EventEnvelope event = EventEnvelope.newBuilder().setId(account + "@" + eventTime).setSource("/test").setType("payment")
                .setSubject(null).setTime(eventTime).setIngestTime(arrival).setPartitionKey(account)
                .setPayload(Payment.newBuilder().setPaymentId("p").setAccount(account).setMerchant("m")
                        .setAmount(new BigDecimal(amount).setScale(4)).setCurrency("EUR").setCountry("DE")
                        .setChannel(PaymentChannel.ONLINE).build())
                .build();
        aggregator.process(new Record<>(account, event, eventTime.toEpochMilli()));
    }

    /** The parts the emission beat sends, by series key (the last of each); the per-key output is left as it was. */
    private Map<String, WindowAggregate> beat() {
        context.resetForwards();
        context.scheduledPunctuators().forEach(p -> p.getPunctuator().punctuate(streamTime));
        Map<String, WindowAggregate> sent = new LinkedHashMap<>();
        context.forwarded().forEach(f -> sent.put(f.record().key(), f.record().value()));
        context.resetForwards();
        return sent;
    }

    private static long windowStart(Instant t) {
        return t.toEpochMilli() - t.toEpochMilli() % WINDOW.toMillis();
    }
}
