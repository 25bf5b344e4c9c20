package io.tideline.chaos;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import io.tideline.devstack.LocalDeployment;
import io.tideline.model.AggregateScope;
import io.tideline.process.DeadLetterHeaders;
import io.tideline.model.WindowAggregate;
import io.tideline.store.AggregateParts;
import io.tideline.store.ReadModelHash;
import io.tideline.store.ReadModelKeys;
import redis.clients.jedis.Jedis;

/**
 * Compares what the stores hold with the ground truth: every accepted event in PostgreSQL once, every window
 * aggregate in PostgreSQL and every latest window in Redis equal to the figures recomputed from the accepted
 * events, and every poison record in the dead-letter topic with a reason.
 */
final class ChaosVerifier {

    /** The figures of one check. */
    record Figures(int accepted, int stored, int missing, int unexpected, long duplicated, int aggregatesChecked,
                   int aggregatesMismatched, List<String> mismatchExamples, int anomaliesInjected, int alertsFound,
                   int alertsOnInjected, int redisAlertsNotInPostgres, int deadLetters, int deadLettersWithReason,
                   Map<String, Integer> deadLetterReasons) {

        boolean clean(long poisonSent) {
            return missing == 0 && unexpected == 0 && duplicated == 0 && aggregatesMismatched == 0
                    && redisAlertsNotInPostgres == 0 && deadLetters == poisonSent && deadLettersWithReason == deadLetters;
        }
    }

    private record Stats(long count, BigDecimal sum, BigDecimal min, BigDecimal max) {
        Stats add(BigDecimal value) {
            if (value == null) {
                return new Stats(count + 1, null, null, null);
            }
            BigDecimal v = value.setScale(6, RoundingMode.HALF_EVEN);
            return new Stats(count + 1, sum == null ? v : sum.add(v), min == null || v.compareTo(min) < 0 ? v : min,
                    max == null || v.compareTo(max) > 0 ? v : max);
        }

        boolean matches(long c, BigDecimal s, BigDecimal mn, BigDecimal mx) {
            return count == c && same(sum, s) && same(min, mn) && same(max, mx);
        }

        private static boolean same(BigDecimal a, BigDecimal b) {
            return a == null ? b == null : b != null && a.compareTo(b) == 0;
        }
    }

    private record Series(AggregateScope scope, String type, String key) {
    }

    private final LocalDeployment processes;
    private final String deadLetterTopic;

    ChaosVerifier(LocalDeployment processes, String deadLetterTopic) {
        this.processes = processes;
        this.deadLetterTopic = deadLetterTopic;
    }

    Figures check(GroundTruth truth) throws SQLException {
        Map<Series, Map<Long, Stats>> expected = new HashMap<>();
        Set<String> injected = new HashSet<>();
        for (GroundTruth.Event e : truth.events()) {
            long window = e.time().toEpochMilli() - Math.floorMod(e.time().toEpochMilli(), 60_000L);
            for (Series s : List.of(new Series(AggregateScope.KEY, e.type(), e.key()), new Series(AggregateScope.TYPE, e.type(), ""))) {
                expected.computeIfAbsent(s, k -> new HashMap<>()).merge(window, new Stats(0, null, null, null).add(e.measure()),
                        (old, one) -> old.add(e.measure()));
            }
            if (e.anomaly()) {
                injected.add(e.id());
            }
        }

        List<String> examples = new ArrayList<>();
        int checked = 0;
        int mismatched = 0;
        Set<String> stored = new HashSet<>();
        long rows = 0;
        long typeCounts = 0;
        Set<String> alerts = new HashSet<>();
        int alertsOnInjected = 0;
        try (Connection db = DriverManager.getConnection(processes.jdbcUrl(), "postgres", "postgres");
             Statement st = db.createStatement()) {
            try (ResultSet rs = st.executeQuery("select event_id from events")) {
                while (rs.next()) {
                    stored.add(rs.getString(1));
                    rows++;
                }
            }
            Map<String, Boolean> seen = new HashMap<>();
            try (ResultSet rs = st.executeQuery("select scope, event_type, series_key, window_start, count, sum, min, max from window_aggregates")) {
                while (rs.next()) {
                    Series s = new Series(AggregateScope.valueOf(rs.getString(1)), rs.getString(2), rs.getString(3));
                    long window = rs.getTimestamp(4).toInstant().toEpochMilli();
                    Stats want = expected.getOrDefault(s, Map.of()).get(window);
                    checked++;
                    if (s.scope() == AggregateScope.TYPE) {
                        typeCounts += rs.getLong(5);
                    }
                    seen.put(s + "@" + window, true);
                    if (want == null || !want.matches(rs.getLong(5), rs.getBigDecimal(6), rs.getBigDecimal(7), rs.getBigDecimal(8))) {
                        mismatched++;
                        example(examples, "postgres " + s + "@" + window + ": expected " + want + ", stored count "
                                + rs.getLong(5) + " sum " + rs.getBigDecimal(6));
                    }
                }
            }
            for (Map.Entry<Series, Map<Long, Stats>> e : expected.entrySet()) {
                for (Long window : e.getValue().keySet()) {
                    if (!seen.containsKey(e.getKey() + "@" + window)) {
                        checked++;
                        mismatched++;
                        example(examples, "postgres " + e.getKey() + "@" + window + ": no row, expected " + e.getValue().get(window));
                    }
                }
            }
            int[] declared = declaredMetric(st, expected, examples);
            checked += declared[0];
            mismatched += declared[1];
            try (ResultSet rs = st.executeQuery("select alert_id, event_id from alerts")) {
                while (rs.next()) {
                    alerts.add(rs.getString(1));
                    if (injected.contains(rs.getString(2))) {
                        alertsOnInjected++;
                    }
                }
            }
        }

        int redisAlertsNotInPostgres = 0;
        try (Jedis redis = new Jedis("127.0.0.1", processes.redisPort())) {
            for (Map.Entry<Series, Map<Long, Stats>> e : expected.entrySet()) {
                Series s = e.getKey();
                long latest = e.getValue().keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
                Stats want = e.getValue().get(latest);
                WindowAggregate got = readModel(redis, s);
                checked++;
                boolean ok = got != null && got.getWindowStart().toEpochMilli() == latest
                        && want.matches(got.getCount(), got.getSum(), got.getMin(), got.getMax());
                if (!ok) {
                    mismatched++;
                    example(examples, "redis " + s + ": expected window " + latest + " " + want + ", read model " + got);
                }
            }
            for (String id : redis.hkeys(ReadModelKeys.ALERT_DATA)) {
                if (!alerts.contains(id)) {
                    redisAlertsNotInPostgres++;
                }
            }
        }

        int missing = 0;
        for (GroundTruth.Event e : truth.events()) {
            if (!stored.contains(e.id())) {
                missing++;
            }
        }
        int unexpected = 0;
        for (String id : stored) {
            if (!truth.contains(id)) {
                unexpected++;
            }
        }
        long duplicated = (rows - stored.size()) + Math.max(0, typeCounts - truth.size());

        Map<String, Integer> reasons = new LinkedHashMap<>();
        int[] dead = deadLetters(reasons);
        return new Figures(truth.size(), stored.size(), missing, unexpected, duplicated, checked, mismatched, examples,
                injected.size(), alerts.size(), alertsOnInjected, redisAlertsNotInPostgres, dead[0], dead[1], reasons);
    }

    /**
     * The declared metric {@link ChaosRun#DECLARED_METRIC} (payments per partition key, tumbling 1 m, the same grace
     * as the built-in windows) must equal the built-in per-key payment figures recomputed from the ground truth:
     * every PostgreSQL row, and no window missing. [checked, mismatched]
     */
    private static int[] declaredMetric(Statement st, Map<Series, Map<Long, Stats>> expected, List<String> examples) throws SQLException {
        int checked = 0;
        int mismatched = 0;
        Set<String> seen = new HashSet<>();
        try (ResultSet rs = st.executeQuery("select group_key, window_start, count, figures->>'sum_amount' from metric_windows where metric = '"
                + ChaosRun.DECLARED_METRIC + "'")) {
            while (rs.next()) {
                Series s = new Series(AggregateScope.KEY, "payment", rs.getString(1));
                long window = rs.getTimestamp(2).toInstant().toEpochMilli();
                Stats want = expected.getOrDefault(s, Map.of()).get(window);
                seen.add(s + "@" + window);
                checked++;
                double sum = rs.getString(4) == null ? Double.NaN : Double.parseDouble(rs.getString(4));
                if (want == null || want.count() != rs.getLong(3) || want.sum() == null
                        || Math.abs(want.sum().doubleValue() - sum) > 1e-6 * Math.max(1, Math.abs(sum))) {
                    mismatched++;
                    example(examples, "declared metric " + ChaosRun.DECLARED_METRIC + " " + s + "@" + window + ": expected " + want
                            + ", stored count " + rs.getLong(3) + " sum " + rs.getString(4));
                }
            }
        }
        for (Map.Entry<Series, Map<Long, Stats>> e : expected.entrySet()) {
            if (e.getKey().scope() != AggregateScope.KEY || !e.getKey().type().equals("payment")) {
                continue;
            }
            for (Long window : e.getValue().keySet()) {
                if (!seen.contains(e.getKey() + "@" + window)) {
                    checked++;
                    mismatched++;
                    example(examples, "declared metric " + ChaosRun.DECLARED_METRIC + " " + e.getKey() + "@" + window + ": no row");
                }
            }
        }
        return new int[] {checked, mismatched};
    }

    /** Reads the dead-letter topic to its end: [records, records with a reason]; tallies reasons by kind. */
    private int[] deadLetters(Map<String, Integer> reasons) {
        int total = 0;
        int withReason = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, processes.kafkaBootstrap(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(deadLetterTopic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    total++;
                    String reason = text(r.headers().lastHeader(DeadLetterHeaders.REASON));
                    if (reason == null) {
                        reason = text(r.headers().lastHeader("__streams.errors.exception"));
                    }
                    if (reason != null && !reason.isBlank()) {
                        withReason++;
                        String kind = reason.contains("not valid JSON") ? "not valid JSON"
                                : reason.contains("data.") ? "schema violation" : Objects.toString(reason).split(":")[0];
                        reasons.merge(kind, 1, Integer::sum);
                    }
                }
            }
        }
        return new int[] {total, withReason};
    }

    private static String text(Header header) {
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The latest window as the query side reads it: a key's hash, or the merge of a type's parts. */
    private static WindowAggregate readModel(Jedis redis, Series s) {
        if (s.scope() == AggregateScope.KEY) {
            return ReadModelHash.aggregate(redis.hgetAll(ReadModelKeys.series(s.type(), s.key())));
        }
        List<WindowAggregate> parts = new ArrayList<>();
        for (String part : redis.zrange(ReadModelKeys.partsOf(s.type()), 0, -1)) {
            WindowAggregate a = ReadModelHash.aggregate(redis.hgetAll(ReadModelKeys.typePart(s.type(), Integer.parseInt(part))));
            if (a != null) {
                parts.add(a);
            }
        }
        return parts.isEmpty() ? null : AggregateParts.merge(parts);
    }

    private static void example(List<String> examples, String text) {
        if (examples.size() < 5) {
            examples.add(text);
        }
    }
}
