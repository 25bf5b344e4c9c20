package io.tideline.process;

import java.util.ArrayList;
import java.util.List;

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
import io.tideline.model.internal.AmountHistory;
import io.tideline.observe.PipelineMetrics;

/**
 * Flags a payment whose amount is far outside its partition key's (by default, its account's) recent
 * distribution: a z-score over a sliding window in event time, capped in samples. Flagged amounts stay out of
 * the baseline so one fraud does not make the next look normal.
 */
final class PaymentAnomalyDetector implements FixedKeyProcessor<String, EventEnvelope, Alert> {

    static final String STORE = "payment-amount-history";
    static final String RULE = "payment-amount-zscore";

    private final TidelineProperties.Anomaly config;
    private final Counter raised;
    private FixedKeyProcessorContext<String, Alert> context;
    private KeyValueStore<String, AmountHistory> histories;

    PaymentAnomalyDetector(TidelineProperties.Anomaly config, PipelineMetrics metrics) {
        this.config = config;
        this.raised = metrics.stageCounter("anomaly", "alert");
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Alert> context) {
        this.context = context;
        this.histories = context.getStateStore(STORE);
    }

    @Override
    public void process(FixedKeyRecord<String, EventEnvelope> record) {
        EventEnvelope event = record.value();
        Payment payment = (Payment) event.getPayload();
        long time = event.getTime().toEpochMilli();
        double amount = payment.getAmount().doubleValue();

        AmountHistory stored = histories.get(record.key());
        List<Long> times = new ArrayList<>();
        List<Double> amounts = new ArrayList<>();
        if (stored != null) {
            long oldest = time - config.window().toMillis();
            for (int i = 0; i < stored.getTimes().size(); i++) {
                if (stored.getTimes().get(i) >= oldest) {
                    times.add(stored.getTimes().get(i));
                    amounts.add(stored.getAmounts().get(i));
                }
            }
        }

        boolean anomalous = false;
        if (amounts.size() >= config.minSamples()) {
            double mean = amounts.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            double variance = amounts.stream().mapToDouble(a -> (a - mean) * (a - mean)).sum() / amounts.size();
            double stddev = Math.max(Math.sqrt(variance), Math.abs(mean) * config.minRelativeStddev());
            double score = stddev == 0 ? 0 : Math.abs(amount - mean) / stddev;
            if (score > config.zThreshold()) {
                anomalous = true;
                raised.increment();
                context.forward(record.withValue(alert(event, payment, mean, stddev, score)));
            }
        }
        if (!anomalous) {
            times.add(time);
            amounts.add(amount);
            while (times.size() > config.maxSamples()) {
                times.remove(0);
                amounts.remove(0);
            }
        }
        histories.put(record.key(), AmountHistory.newBuilder().setTimes(times).setAmounts(amounts).build());
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
