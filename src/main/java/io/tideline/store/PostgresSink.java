package io.tideline.store;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import io.micrometer.core.instrument.Timer;
import io.tideline.config.TidelineProperties;
import io.tideline.model.Alert;
import io.tideline.model.EventEnvelope;
import io.tideline.model.EventFamily;
import io.tideline.model.MetricResult;
import io.tideline.model.WindowAggregate;
import io.tideline.observe.PipelineMetrics;
import io.tideline.schema.AvroJsonEncoder;
import io.tideline.schema.registry.PayloadSchemas;
import io.tideline.schema.registry.TopicSerdes;
import io.tideline.schema.registry.WireFormat;

/**
 * Writes events, window aggregates, alerts and declared metrics' windows into PostgreSQL, one transaction per batch
 * that also moves the sink's offsets. Events and alerts are written with their batch; window rows are held back
 * and written with the batch that comes a flush interval after the first of them ({@link HeldWindows}), the offsets
 * of their partitions held back with them. Every write is idempotent on its own too (events and alerts by id;
 * aggregates replace by series and window, fenced by offset), so reading a record again changes nothing.
 */
public final class PostgresSink implements RecordSink {

    public static final String NAME = "postgres";

    private static final String INSERT_EVENT = """
            insert into events (event_id, event_type, source, subject, partition_key, event_time, ingest_time, data,
                                schema_id, kafka_partition, kafka_offset)
            values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)
            on conflict (event_id) do nothing""";
    private static final String INSERT_ALERT = """
            insert into alerts (alert_id, rule, severity, event_type, series_key, event_id, event_time, observed,
                                baseline_mean, baseline_stddev, score, message)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (alert_id) do nothing""";
    private static final String UPSERT_OFFSET = """
            insert into sink_offsets (sink, topic, partition, next_offset) values (?, ?, ?, ?)
            on conflict (sink, topic, partition) do update set next_offset = excluded.next_offset""";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final TidelineProperties.Topics topics;
    private final Timer latency;
    private final Clock clock;
    private final SinkDeadLetters deadLetters;
    private final Deserializer<EventEnvelope> envelopes;
    private final Deserializer<WindowAggregate> aggregates;
    private final Deserializer<Alert> alerts;
    private final AvroJsonEncoder json = new AvroJsonEncoder();
    private final PayloadSchemas schemas;
    private final Deserializer<MetricResult> metricResults;
    private final HeldWindows windows;
    /** The next offset to read per partition, as far as this sink has read since it last sought. */
    private final Map<TopicPartition, Long> consumed = new HashMap<>();
    private final String setSynchronousCommit;

    public PostgresSink(JdbcTemplate jdbc, TransactionTemplate transactions, TidelineProperties.Topics topics,
                        PayloadSchemas schemas, TopicSerdes topicSerdes, SinkDeadLetters deadLetters, PipelineMetrics metrics,
                        Clock clock, Predicate<String> metricsStored, String synchronousCommit, Duration windowFlushInterval) {
        this.setSynchronousCommit = "set local synchronous_commit = " + synchronousCommit;
        this.metricResults = topicSerdes.metrics().deserializer();
        this.windows = new HeldWindows(windowFlushInterval, metricsStored);
        this.jdbc = jdbc;
        this.envelopes = topicSerdes.events().deserializer();
        this.aggregates = topicSerdes.aggregates().deserializer();
        this.alerts = topicSerdes.alerts().deserializer();
        this.schemas = schemas;
        this.transactions = transactions;
        this.topics = topics;
        this.deadLetters = deadLetters;
        this.latency = metrics.latencyTimer(PipelineMetrics.POSTGRES);
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> sourceTopics() {
        return List.of(topics.events(), topics.aggregates(), topics.alerts(), topics.metrics());
    }

    @Override
    public Map<TopicPartition, Long> storedOffsets(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        jdbc.query("select topic, partition, next_offset from sink_offsets where sink = ?", rs -> {
            TopicPartition tp = new TopicPartition(rs.getString(1), rs.getInt(2));
            if (partitions.contains(tp)) {
                offsets.put(tp, rs.getLong(3));
            }
        }, NAME);
        return offsets;
    }

    @Override
    public void write(ConsumerRecords<String, byte[]> batch) {
        write(batch, false);
    }

    @Override
    public boolean holdsBack() {
        return !windows.isEmpty();
    }

    @Override
    public void flush() {
        if (!windows.isEmpty()) {
            write(ConsumerRecords.empty(), true);
        }
    }

    @Override
    public void discard(Collection<TopicPartition> partitions) {
        windows.discard(partitions);
        consumed.keySet().removeAll(partitions);
    }

    private void write(ConsumerRecords<String, byte[]> batch, boolean flushAll) {
        long now = clock.millis();
        List<Object[]> eventRows = new ArrayList<>();
        List<Instant> eventTimes = new ArrayList<>();
        List<Object[]> alertRows = new ArrayList<>();
        Set<TopicPartition> read = new HashSet<>(batch.partitions());
        for (TopicPartition partition : read) {
            List<ConsumerRecord<String, byte[]>> records = batch.records(partition);
            for (ConsumerRecord<String, byte[]> record : records) {
                if (record.topic().equals(topics.events())) {
                    EventEnvelope e = deadLetters.decode(NAME, record, envelopes);
                    if (e != null) {
                        eventRows.add(eventRow(e, record));
                        eventTimes.add(e.getTime());
                    }
                } else if (record.topic().equals(topics.aggregates())) {
                    WindowAggregate a = deadLetters.decode(NAME, record, aggregates);
                    if (a != null) {
                        windows.add(partition, record, a, now);
                    }
                } else if (record.topic().equals(topics.alerts())) {
                    Alert alert = deadLetters.decode(NAME, record, alerts);
                    if (alert != null) {
                        alertRows.add(alertRow(alert));
                    }
                } else if (record.topic().equals(topics.metrics())) {
                    MetricResult result = deadLetters.decode(NAME, record, metricResults);
                    if (result != null) {
                        windows.add(partition, record, result, now);
                    }
                }
            }
            consumed.put(partition, records.get(records.size() - 1).offset() + 1);
        }
        boolean flush = flushAll || windows.due(now);
        if (read.isEmpty() && !flush) {
            return;
        }
        if (flush) {
            read.addAll(windows.partitions());
        }
        List<Object[]> offsetRows = new ArrayList<>(read.size());
        for (TopicPartition partition : read) {
            Long held = flush ? null : windows.firstHeld(partition);
            offsetRows.add(new Object[] {NAME, partition.topic(), partition.partition(),
                    held != null ? held : consumed.get(partition)});
        }
        transactions.executeWithoutResult(status -> {
            jdbc.execute(setSynchronousCommit);
            TypedBatch.update(jdbc, INSERT_EVENT, eventRows);
            TypedBatch.update(jdbc, INSERT_ALERT, alertRows);
            if (flush) {
                windows.write(jdbc);
            }
            TypedBatch.update(jdbc, UPSERT_OFFSET, offsetRows);
        });
        if (flush) {
            windows.clear();
        }
        Instant written = clock.instant();
        for (Instant time : eventTimes) {
            PipelineMetrics.record(latency, Duration.between(time, written));
        }
    }

    private Object[] eventRow(EventEnvelope e, ConsumerRecord<String, byte[]> record) {
        return new Object[] {e.getId(), e.getType(), e.getSource(), e.getSubject(), e.getPartitionKey(),
                Timestamp.from(e.getTime()), Timestamp.from(e.getIngestTime()),
                json.encode(asWritten(e)).toString(), e.getPayloadSchemaId(), record.partition(), record.offset()};
    }

    /** The history keeps the payload as its producer wrote it: a newer schema version's fields included. */
    private IndexedRecord asWritten(EventEnvelope e) {
        if (e.getPayloadAsWritten() == null) {
            return (IndexedRecord) e.getPayload();
        }
        EventFamily family = EventFamily.of((SpecificRecord) e.getPayload());
        return schemas.byId(e.getPayloadSchemaId(), family).decodeAsWritten(WireFormat.copyOf(e.getPayloadAsWritten()));
    }

    private static Object[] alertRow(Alert a) {
        return new Object[] {a.getAlertId(), a.getRule(), a.getSeverity().name(), a.getEventType(), a.getSeriesKey(),
                a.getEventId(), Timestamp.from(a.getEventTime()), a.getObserved(), a.getBaselineMean(),
                a.getBaselineStddev(), a.getScore(), a.getMessage()};
    }
}
