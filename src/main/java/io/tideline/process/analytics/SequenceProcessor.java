package io.tideline.process.analytics;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import io.micrometer.core.instrument.Counter;
import io.tideline.config.TidelineProperties;
import io.tideline.definition.Condition;
import io.tideline.definition.SequenceRule;
import io.tideline.definition.SequenceRule.Step;
import io.tideline.model.Alert;
import io.tideline.observe.PipelineMetrics;

/**
 * Runs one sequence rule per key (records arrive keyed by the rule's key), in event time.
 * <ul>
 * <li><b>A then B within T</b>: a B matches the most recent pending A of its key at most T before it for which B's
 * condition holds (it may read that A as {@code first.<field>}); the pair fires one alert and the A is used up.</li>
 * <li><b>A not followed by B within T</b>: an A waits until event time reaches A + T; a matching B in time cancels
 * it, otherwise the alert fires then — on the wall clock if the key or the whole partition has gone quiet
 * ({@link EventTimeFrontier}).</li>
 * </ul>
 * Store: {@code p\0{key}} the key's pending As; {@code d\0{due}\0{key}\0{A id}} when each runs out; {@code t} the
 * task's stream time.
 */
final class SequenceProcessor implements Processor<String, EnrichedEvent, String, Alert> {

    private static final char SEP = '\0';
    private static final String FIRST = "first.";

    private final SequenceRule rule;
    private final Duration checkInterval;
    private final long within;
    private final Set<String> firstFields = new TreeSet<>();
    private final Counter raised;
    private final EventTimeFrontier frontier;
    private ProcessorContext<String, Alert> context;
    private KeyValueStore<String, byte[]> store;
    /** The earliest due time in the store, or a lower bound; {@link Long#MIN_VALUE}: not known. */
    private long nextDue = Long.MIN_VALUE;

    SequenceProcessor(SequenceRule rule, TidelineProperties.Analytics config, PipelineMetrics metrics) {
        this.rule = rule;
        this.checkInterval = config.closeCheckInterval();
        this.frontier = new EventTimeFrontier(config.maxClockSkew());
        this.within = rule.within().toMillis();
        this.raised = metrics.analyticsOutput("sequence", rule.name(), rule.lane().label());
        Condition second = rule.second().where();
        if (second != null) {
            second.fields().stream().filter(f -> f.startsWith(FIRST)).map(f -> f.substring(FIRST.length())).forEach(firstFields::add);
        }
    }

    /**
     * Which events the rule can use, as far as an event alone tells: those matching its first step, and those of its
     * second step's type matching that step's condition — all of them when the condition reads the first event.
     */
    static Predicate<Function<String, Object>> relevance(SequenceRule rule) {
        Step first = rule.first();
        Step second = rule.second();
        boolean secondReadsFirst = second.where() != null && second.where().fields().stream().anyMatch(f -> f.startsWith(FIRST));
        return fields -> {
            Object type = fields.apply("type");
            if (first.type().equals(type) && (first.where() == null || first.where().test(fields))) {
                return true;
            }
            return second.type().equals(type) && (second.where() == null || secondReadsFirst || second.where().test(fields));
        };
    }

    static String storeName(SequenceRule rule) {
        return "sequence-" + rule.name();
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        this.store = context.getStateStore(storeName(rule));
        nextDue = Long.MIN_VALUE; // read from the store again: initialised again in place, it may hold another one
        byte[] t = store.get("t");
        frontier.restore(t == null ? Long.MIN_VALUE : ByteBuffer.wrap(t).getLong(), context.currentSystemTimeMs());
        context.schedule(checkInterval, PunctuationType.WALL_CLOCK_TIME, this::runOut);
    }

    @Override
    public void process(Record<String, EnrichedEvent> record) {
        EnrichedEvent event = record.value();
        long now = context.currentSystemTimeMs();
        if (frontier.observe(event.time(), now)) {
            store.put("t", ByteBuffer.allocate(8).putLong(event.time()).array());
        }
        String key = record.key();
        List<PendingFirst> pending = PendingFirst.decode(store.get("p" + SEP + key));
        boolean changed = false;
        if (matches(rule.second(), event, null)) {
            for (int i = pending.size() - 1; i >= 0; i--) {
                PendingFirst a = pending.get(i);
                if (a.time() <= event.time() && event.time() - a.time() <= within && matches(rule.second(), event, a)) {
                    pending.remove(i);
                    store.delete(due(a.time() + within, key, a.eventId()));
                    changed = true;
                    if (!rule.isAbsence()) {
                        fire(key, a, event);
                    }
                    break;
                }
            }
        }
        if (matches(rule.first(), event, null)) {
            Map<String, Object> fields = new HashMap<>();
            for (String f : firstFields) {
                fields.put(f, Condition.normalize(event.field(f)));
            }
            PendingFirst a = new PendingFirst(event.event().getId(), event.type(), event.time(), fields);
            pending.add(a);
            store.put(due(a.time() + within, key, a.eventId()), new byte[0]);
            nextDue = nextDue == Long.MIN_VALUE ? Long.MIN_VALUE : Math.min(nextDue, a.time() + within);
            changed = true;
        }
        if (changed) {
            put(key, pending);
        }
        if (frontier.at(now) >= nextDue()) {
            runOut(now);
        }
    }

    /** As whose time ran out: absence rules fire, the others just stop waiting. */
    private void runOut(long now) {
        long current = frontier.at(now);
        if (current == Long.MIN_VALUE) {
            return;
        }
        List<String> due = new ArrayList<>();
        nextDue = TimeIndex.scan(store, 'd', current, due);
        for (String d : due) {
            store.delete(d);
            String[] parts = d.split(String.valueOf(SEP), 4);
            String key = parts[2];
            List<PendingFirst> pending = PendingFirst.decode(store.get("p" + SEP + key));
            for (int i = 0; i < pending.size(); i++) {
                PendingFirst a = pending.get(i);
                if (a.eventId().equals(parts[3])) {
                    pending.remove(i);
                    if (rule.isAbsence()) {
                        fire(key, a, null);
                    }
                    break;
                }
            }
            put(key, pending);
        }
    }

    private long nextDue() {
        if (nextDue == Long.MIN_VALUE) {
            nextDue = TimeIndex.first(store, 'd');
        }
        return nextDue;
    }

    private boolean matches(Step step, EnrichedEvent event, PendingFirst first) {
        if (!step.type().equals(event.type())) {
            return false;
        }
        if (step.where() == null) {
            return true;
        }
        if (first == null && !firstFields.isEmpty() && step == rule.second()) {
            return true; // the part about the first event is judged per candidate
        }
        Function<String, Object> fields = path -> path.startsWith(FIRST) && first != null
                ? first.fields().get(path.substring(FIRST.length())) : event.field(path);
        return step.where().test(fields);
    }

    private void fire(String key, PendingFirst a, EnrichedEvent b) {
        raised.increment();
        Alert.Builder alert = Alert.newBuilder()
                .setRule(rule.name())
                .setSeverity(rule.severity())
                .setSeriesKey(key)
                .setBaselineMean(0)
                .setBaselineStddev(0)
                .setScore(0);
        if (b != null) {
            long elapsed = b.time() - a.time();
            alert.setAlertId(rule.name() + ":" + a.eventId() + ":" + b.event().getId())
                    .setEventType(b.type()).setEventId(b.event().getId()).setEventTime(b.event().getTime())
                    .setObserved(elapsed)
                    .setMessage(String.format("%s: %s %s followed by %s %s %s later (within %s)", key, a.type(), a.eventId(),
                            b.type(), b.event().getId(), Duration.ofMillis(elapsed), rule.within()));
        } else {
            alert.setAlertId(rule.name() + ":" + a.eventId())
                    .setEventType(a.type()).setEventId(a.eventId()).setEventTime(Instant.ofEpochMilli(a.time()))
                    .setObserved(within)
                    .setMessage(String.format("%s: %s %s at %s not followed by %s within %s", key, a.type(), a.eventId(),
                            Instant.ofEpochMilli(a.time()), rule.absent().type(), rule.within()));
        }
        context.forward(new Record<>(key, alert.build(), b != null ? b.time() : a.time() + within));
    }

    private void put(String key, List<PendingFirst> pending) {
        if (pending.isEmpty()) {
            store.delete("p" + SEP + key);
        } else {
            store.put("p" + SEP + key, PendingFirst.encode(pending));
        }
    }

    private static String due(long time, String key, String eventId) {
        return TimeIndex.key('d', time, key + SEP + eventId);
    }
}
