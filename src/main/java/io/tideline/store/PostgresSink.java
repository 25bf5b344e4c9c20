package io.tideline.store;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import io.tideline.model.AggregateScope;
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
 * Writes events, window aggregates, alerts and declared metrics' windows into PostgreSQL, one transaction per batch that also moves the
 * sink's offsets. Every write is idempotent on its own too (events and alerts by id; aggregates replace by
 * series and window, fenced by offset), so even a replay past the stored offsets changes nothing.
 */
public final class PostgresSink implements RecordSink {

    public static final String NAME = "postgres";

    private static final String INSERT_EVENT = """
            insert into events (event_id, event_type, source, subject, partition_key, event_time, ingest_time, data,
                                schema_id, kafka_partition, kafka_offset)
            values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)
            on conflict (event_id) do nothing""";
    private static final String UPSERT_AGGREGATE = """
            insert into window_aggregates (scope, event_type, series_key, window_start, window_end, count, sum, min, max,
                                           mean, last_event_time, updated_at, source_partition, source_offset)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now(), ?, ?)
            on conflict (scope, event_type, series_key, window_start) do update set
                count = excluded.count, sum = excluded.sum, min = excluded.min, max = excluded.max, mean = excluded.mean,
                last_event_time = excluded.last_event_time, updated_at = excluded.updated_at,
                source_partition = excluded.source_partition, source_offset = excluded.source_offset
            where window_aggregates.source_offset < excluded.source_offset""";
    private static final String UPSERT_PART = """
            insert into window_aggregate_parts (event_type, window_start, part, window_end, count, sum, min, max,
                                                last_event_time, source_partition, source_offset)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (event_type, window_start, part) do update set
                count = excluded.count, sum = excluded.sum, min = excluded.min, max = excluded.max,
                last_event_time = excluded.last_event_time,
                source_partition = excluded.source_partition, source_offset = excluded.source_offset
            where window_aggregate_parts.source_offset < excluded.source_offset""";
    private static final String SELECT_PARTS = """
            select window_end, count, sum, min, max, last_event_time from window_aggregate_parts
            where event_type = ? and window_start = ?""";
    /** A type's row is derived from its parts, never fenced itself: recomputing it is always right. */
    private static final String UPSERT_MERGED = """
            insert into window_aggregates (scope, event_type, series_key, window_start, window_end, count, sum, min, max,
                                           mean, last_event_time, updated_at, source_partition, source_offset)
            values ('TYPE', ?, '', ?, ?, ?, ?, ?, ?, ?, ?, now(), ?, ?)
            on conflict (scope, event_type, series_key, window_start) do update set
                count = excluded.count, sum = excluded.sum, min = excluded.min, max = excluded.max, mean = excluded.mean,
                last_event_time = excluded.last_event_time, updated_at = excluded.updated_at,
                source_partition = excluded.source_partition, source_offset = excluded.source_offset""";
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
    private final Predicate<String> metricsStored;
    private final String setSynchronousCommit;

    public PostgresSink(JdbcTemplate jdbc, TransactionTemplate transactions, TidelineProperties.Topics topics,
                        PayloadSchemas schemas, TopicSerdes topicSerdes, SinkDeadLetters deadLetters, PipelineMetrics metrics,
                        Clock clock, Predicate<String> metricsStored, String synchronousCommit) {
        this.setSynchronousCommit = "set local synchronous_commit = " + synchronousCommit;
        this.metricResults = topicSerdes.metrics().deserializer();
        this.metricsStored = metricsStored;
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
        List<Object[]> eventRows = new ArrayList<>();
        List<Instant> eventTimes = new ArrayList<>();
        Map<String, Object[]> aggregateRows = new LinkedHashMap<>();
        Map<String, Object[]> partRows = new LinkedHashMap<>();
        Map<String, Map.Entry<ConsumerRecord<String, byte[]>, WindowAggregate>> mergedTypes = new LinkedHashMap<>();
        List<Object[]> alertRows = new ArrayList<>();
        MetricWindowRows metricRows = new MetricWindowRows(metricsStored);
        Map<TopicPartition, Long> nextOffsets = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : batch) {
            nextOffsets.merge(new TopicPartition(record.topic(), record.partition()), record.offset() + 1, Math::max);
            if (record.topic().equals(topics.events())) {
                EventEnvelope e = deadLetters.decode(NAME, record, envelopes);
                if (e != null) {
                    eventRows.add(eventRow(e, record));
                    eventTimes.add(e.getTime());
                }
            } else if (record.topic().equals(topics.aggregates())) {
                WindowAggregate a = deadLetters.decode(NAME, record, aggregates);
                if (a == null) {
                    continue;
                }
                // Only the newest update of a series' window (or part) in the batch needs writing.
                String window = record.key() + '@' + a.getWindowStart().toEpochMilli();
                if (a.getPart() < 0) {
                    aggregateRows.put(window, aggregateRow(a, record));
                } else {
                    partRows.put(window + '#' + a.getPart(), partRow(a, record));
                    mergedTypes.put(window, Map.entry(record, a));
                }
            } else if (record.topic().equals(topics.alerts())) {
                Alert alert = deadLetters.decode(NAME, record, alerts);
                if (alert != null) {
                    alertRows.add(alertRow(alert));
                }
            } else if (record.topic().equals(topics.metrics())) {
                MetricResult result = deadLetters.decode(NAME, record, metricResults);
                if (result != null) {
                    metricRows.add(record, result);
                }
            }
        }
        transactions.executeWithoutResult(status -> {
            jdbc.execute(setSynchronousCommit);
            TypedBatch.update(jdbc, INSERT_EVENT, eventRows);
            TypedBatch.update(jdbc, UPSERT_AGGREGATE, new ArrayList<>(aggregateRows.values()));
            TypedBatch.update(jdbc, UPSERT_PART, new ArrayList<>(partRows.values()));
            TypedBatch.update(jdbc, UPSERT_MERGED, mergedTypes.values().stream().map(e -> mergedRow(e.getKey(), e.getValue())).toList());
            TypedBatch.update(jdbc, INSERT_ALERT, alertRows);
            metricRows.write(jdbc);
            TypedBatch.update(jdbc, UPSERT_OFFSET, nextOffsets.entrySet().stream()
                    .map(e -> new Object[] {NAME, e.getKey().topic(), e.getKey().partition(), e.getValue()})
                    .toList());
        });
        Instant now = clock.instant();
        for (Instant time : eventTimes) {
            PipelineMetrics.record(latency, Duration.between(time, now));
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

    private static Object[] aggregateRow(WindowAggregate a, ConsumerRecord<String, byte[]> record) {
        return new Object[] {a.getScope().name(), a.getEventType(), a.getSeriesKey(), Timestamp.from(a.getWindowStart()),
                Timestamp.from(a.getWindowEnd()), a.getCount(), a.getSum(), a.getMin(), a.getMax(), AggregateMean.of(a),
                Timestamp.from(a.getLastEventTime()), record.partition(), record.offset()};
    }

    private static Object[] partRow(WindowAggregate a, ConsumerRecord<String, byte[]> record) {
        return new Object[] {a.getEventType(), Timestamp.from(a.getWindowStart()), a.getPart(), Timestamp.from(a.getWindowEnd()),
                a.getCount(), a.getSum(), a.getMin(), a.getMax(), Timestamp.from(a.getLastEventTime()),
                record.partition(), record.offset()};
    }

    /** The type's row for the window of this (newest) part update, from all its parts as this transaction sees them. */
    private Object[] mergedRow(ConsumerRecord<String, byte[]> newest, WindowAggregate update) {
        List<WindowAggregate> parts = jdbc.query(SELECT_PARTS, (rs, n) -> WindowAggregate.newBuilder()
                .setScope(AggregateScope.TYPE).setEventType(update.getEventType()).setSeriesKey("").setPart(n)
                .setWindowStart(update.getWindowStart()).setWindowEnd(rs.getTimestamp(1).toInstant())
                .setCount(rs.getLong(2)).setSum(scaled(rs.getBigDecimal(3))).setMin(scaled(rs.getBigDecimal(4)))
                .setMax(scaled(rs.getBigDecimal(5))).setLastEventTime(rs.getTimestamp(6).toInstant()).build(),
                update.getEventType(), Timestamp.from(update.getWindowStart()));
        WindowAggregate a = AggregateParts.merge(parts);
        return new Object[] {a.getEventType(), Timestamp.from(a.getWindowStart()), Timestamp.from(a.getWindowEnd()),
                a.getCount(), a.getSum(), a.getMin(), a.getMax(), AggregateMean.of(a), Timestamp.from(a.getLastEventTime()),
                newest.partition(), newest.offset()};
    }

    private static java.math.BigDecimal scaled(java.math.BigDecimal d) {
        return d == null ? null : d.setScale(6);
    }

    private static Object[] alertRow(Alert a) {
        return new Object[] {a.getAlertId(), a.getRule(), a.getSeverity().name(), a.getEventType(), a.getSeriesKey(),
                a.getEventId(), Timestamp.from(a.getEventTime()), a.getObserved(), a.getBaselineMean(),
                a.getBaselineStddev(), a.getScore(), a.getMessage()};
    }
}
