package io.tideline.process;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

import io.micrometer.core.instrument.Counter;
import io.tideline.config.TidelineProperties;
import io.tideline.model.Alert;
import io.tideline.model.EventEnvelope;
import io.tideline.model.Payment;
import io.tideline.model.Severity;
import io.tideline.observe.PipelineMetrics;

/**
 * Flags a payment whose amount is far outside its partition key's (by default, its account's) recent
 * distribution: a z-score over a sliding window in event time, kept as per-bucket moments
 * ({@link MomentWindow}). Flagged amounts stay out of the baseline so one fraud does not make the next look normal.
 */
final class PaymentAnomalyDetector implements FixedKeyProcessor<String, EventEnvelope, Alert> {

    /**
     * Named for its format: the store (and its changelog) of the earlier format, the last amounts themselves, was
     * "payment-amount-samples". A new name on a format change means a deployment upgrading starts this baseline
     * afresh (the rule waits for min-samples again) instead of misreading the old bytes.
     */
    static final String STORE = "payment-amount-moments";
    static final String RULE = "payment-amount-zscore";

    private final TidelineProperties.Anomaly config;
    private final Counter raised;
    private FixedKeyProcessorContext<String, Alert> context;
    private KeyValueStore<String, MomentWindow> histories;
    private long bucketMs;

    PaymentAnomalyDetector(TidelineProperties.Anomaly config, PipelineMetrics metrics) {
        this.config = config;
        this.raised = metrics.stageCounter("anomaly", "alert");
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Alert> context) {
        this.context = context;
        this.histories = context.getStateStore(STORE);
        this.bucketMs = Math.max(1, config.window().toMillis() / config.windowBuckets());
    }

    @Override
    public void process(FixedKeyRecord<String, EventEnvelope> record) {
        EventEnvelope event = record.value();
        Payment payment = (Payment) event.getPayload();
        long time = event.getTime().toEpochMilli();
        double amount = payment.getAmount().doubleValue();

        MomentWindow stored = histories.get(record.key());
        // A window made with other settings (window or buckets changed) cannot be read as this one: start afresh.
        MomentWindow window = (stored == null || !stored.hasShape(config.windowBuckets(), bucketMs)
                ? MomentWindow.empty(config.windowBuckets(), bucketMs) : stored).at(time);

        boolean anomalous = false;
        long n = window.count();
        if (n >= config.minSamples()) {
            double mean = window.mean();
            double stddev = Math.max(window.stddev(), Math.abs(mean) * config.minRelativeStddev());
            double score = stddev == 0 ? 0 : Math.abs(amount - mean) / stddev;
            if (score > config.zThreshold()) {
                anomalous = true;
                raised.increment();
                context.forward(record.withValue(alert(event, payment, mean, stddev, score)));
            }
        }
        // A flagged amount stays out of the baseline; the window still slides.
        histories.put(record.key(), anomalous ? window : window.add(time, amount));
    }

    private Alert alert(EventEnvelope event, Payment payment, double mean, double stddev, double score) {
        return Alert.newBuilder()
                .setAlertId(RULE + ":" + event.getId())
                .setRule(RULE)
                .setSeverity(score > 2 * config.zThreshold() ? Severity.CRITICAL : Severity.WARNING)
                .setEventType(event.getType())
                .setSeriesKey(event.getPartitionKey())
                .setEventId(event.getId())
                .setEventTime(event.getTime())
                .setObserved(payment.getAmount().doubleValue())
                .setBaselineMean(mean)
                .setBaselineStddev(stddev)
                .setScore(score)
                .setMessage(String.format("payment %s of %s %s by %s is %.1f standard deviations from its mean of %.2f",
                        payment.getPaymentId(), payment.getAmount().stripTrailingZeros().toPlainString(),
                        payment.getCurrency(), event.getPartitionKey(), score, mean))
                .build();
    }
}
