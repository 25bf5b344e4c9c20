package io.tideline.process.analytics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import io.micrometer.core.instrument.Counter;
import io.tideline.definition.AnomalyRule;
import io.tideline.definition.AnomalyRule.Ewma;
import io.tideline.definition.AnomalyRule.Velocity;
import io.tideline.definition.AnomalyRule.ZScore;
import io.tideline.model.Alert;
import io.tideline.observe.PipelineMetrics;
import io.tideline.process.AmountSamples;

/**
 * Runs one declared anomaly rule per key (the records arrive keyed by the rule's key). Each detector keeps its
 * baseline in the rule's store; a value judged anomalous stays out of the baseline, so one outlier does not make
 * the next look normal. An event without the rule's field is skipped.
 */
final class AnomalyProcessor implements Processor<String, EnrichedEvent, String, Alert> {

    private static final Serde<AmountSamples> SAMPLES = AmountSamples.serde();

    private final AnomalyRule rule;
    private final Counter raised;
    private ProcessorContext<String, Alert> context;
    private KeyValueStore<String, byte[]> store;

    AnomalyProcessor(AnomalyRule rule, PipelineMetrics metrics) {
        this.rule = rule;
        this.raised = metrics.analyticsOutput("anomaly", rule.name(), rule.lane().label());
    }

    static String storeName(AnomalyRule rule) {
        return "anomaly-" + rule.name();
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        this.store = context.getStateStore(storeName(rule));
    }

    @Override
    public void process(Record<String, EnrichedEvent> record) {
        Alert alert;
        if (rule.detector() instanceof ZScore z) {
            alert = zscore(z, record);
        } else if (rule.detector() instanceof Ewma e) {
            alert = ewma(e, record);
        } else {
            alert = velocity((Velocity) rule.detector(), record);
        }
        if (alert != null) {
            raised.increment();
            context.forward(new Record<>(record.key(), alert, record.timestamp()));
        }
    }

    private Alert zscore(ZScore z, Record<String, EnrichedEvent> record) {
        double x = Sample.number(record.value().field(z.field()));
        if (Double.isNaN(x)) {
            return null;
        }
        long time = record.value().time();
        byte[] stored = store.get(record.key());
        AmountSamples window = (stored == null ? AmountSamples.empty() : SAMPLES.deserializer().deserialize(null, stored))
                .since(time - z.window().toMillis());
        Alert alert = null;
        if (window.size() >= z.minSamples()) {
            double mean = window.mean();
            double stddev = window.stddev();
            double score = stddev == 0 ? 0 : Math.abs(x - mean) / stddev;
            if (score > z.threshold()) {
                alert = alert(record, x, mean, stddev, score, String.format("%s %s = %s is %.1f standard deviations from "
                        + "its mean of %s over the last %s", record.key(), z.field(), number(x), score, number(mean), z.window()));
            }
        }
        store.put(record.key(), SAMPLES.serializer().serialize(null,
                window.slide(Long.MIN_VALUE, alert == null, time, x, z.maxSamples())));
        return alert;
    }

    private Alert ewma(Ewma e, Record<String, EnrichedEvent> record) {
        double x = Sample.number(record.value().field(e.field()));
        if (Double.isNaN(x)) {
            return null;
        }
        byte[] stored = store.get(record.key());
        ByteBuffer state = stored == null ? null : ByteBuffer.wrap(stored);
        long n = state == null ? 0 : state.getLong();
        double mean = state == null ? 0 : state.getDouble();
        double variance = state == null ? 0 : state.getDouble();
        Alert alert = null;
        if (n >= e.minSamples()) {
            double stddev = Math.sqrt(variance);
            double score = stddev == 0 ? 0 : Math.abs(x - mean) / stddev;
            if (score > e.threshold()) {
                alert = alert(record, x, mean, stddev, score, String.format("%s %s = %s is %.1f standard deviations from "
                        + "its moving average of %s", record.key(), e.field(), number(x), score, number(mean)));
            }
        }
        if (alert == null) {
            if (n == 0) {
                mean = x;
            } else {
                // West's incremental exponentially weighted mean and variance.
                double diff = x - mean;
                double increment = e.alpha() * diff;
                mean += increment;
                variance = (1 - e.alpha()) * (variance + diff * increment);
            }
            n++;
            store.put(record.key(), ByteBuffer.allocate(24).putLong(n).putDouble(mean).putDouble(variance).array());
        }
        return alert;
    }

    /** Keeps the key's last count + 1 event times and when it last alerted (one alert per burst). */
    private Alert velocity(Velocity v, Record<String, EnrichedEvent> record) {
        long time = record.value().time();
        long within = v.within().toMillis();
        byte[] stored = store.get(record.key());
        AmountSamples times = AmountSamples.empty();
        long lastAlert = Long.MIN_VALUE;
        if (stored != null) {
            ByteBuffer buf = ByteBuffer.wrap(stored);
            lastAlert = buf.getLong();
            byte[] rest = new byte[buf.remaining()];
            buf.get(rest);
            times = SAMPLES.deserializer().deserialize(null, rest);
        }
        times = times.slide(time - within + 1, true, time, 0, v.count() + 1);
        Alert alert = null;
        if (times.size() > v.count() && (lastAlert == Long.MIN_VALUE || time - lastAlert >= within)) {
            lastAlert = time;
            alert = alert(record, times.size(), v.count(), 0, times.size() / (double) v.count(), String.format(
                    "%s: more than %d %s events within %s", record.key(), v.count(), record.value().type(), v.within()));
        }
        byte[] samples = SAMPLES.serializer().serialize(null, times);
        store.put(record.key(), ByteBuffer.allocate(8 + samples.length).putLong(lastAlert).put(samples).array());
        return alert;
    }

    private Alert alert(Record<String, EnrichedEvent> record, double observed, double mean, double stddev, double score,
                        String message) {
        EnrichedEvent event = record.value();
        return Alert.newBuilder()
                .setAlertId(rule.name() + ":" + event.event().getId())
                .setRule(rule.name())
                .setSeverity(rule.severity())
                .setEventType(event.type())
                .setSeriesKey(record.key())
                .setEventId(event.event().getId())
                .setEventTime(event.event().getTime())
                .setObserved(observed)
                .setBaselineMean(mean)
                .setBaselineStddev(stddev)
                .setScore(score)
                .setMessage(message)
                .build();
    }

    private static String number(double x) {
        return BigDecimal.valueOf(x).setScale(2, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }
}
