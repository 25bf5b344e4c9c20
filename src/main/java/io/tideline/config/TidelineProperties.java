package io.tideline.config;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import io.tideline.model.EventFamily;

/**
 * Everything Tideline's own code reads from configuration ({@code tideline.*}; env vars such as
 * {@code TIDELINE_KAFKA_BOOTSTRAP_SERVERS} override). PostgreSQL and Redis use Spring Boot's own
 * {@code spring.datasource.*} and {@code spring.data.redis.*}. Every default is documented in docs/configuration.md.
 */
@ConfigurationProperties("tideline")
public record TidelineProperties(
        @DefaultValue Kafka kafka,
        @DefaultValue Topics topics,
        @DefaultValue Streams streams,
        @DefaultValue Ingest ingest,
        @DefaultValue Anomaly anomaly,
        @DefaultValue Sink sink,
        @DefaultValue Dashboard dashboard,
        @DefaultValue DeadLetters deadLetters,
        @DefaultValue Registry registry,
        @DefaultValue Analytics analytics,
        /** Per event type: exactly-once (default) or at-least-once, which skips deduplication by event id. */
        Map<String, Guarantee> guarantees) {

    public TidelineProperties {
        guarantees = guarantees == null ? Map.of() : Map.copyOf(guarantees);
        for (Map.Entry<String, Guarantee> e : guarantees.entrySet()) {
            EventFamily family = EventFamily.forType(e.getKey()).orElseThrow(() -> new IllegalArgumentException(
                    "tideline.guarantees." + e.getKey() + ": unknown event type; known types: " + EventFamily.knownTypes()));
            if (family.financial() && e.getValue() != Guarantee.EXACTLY_ONCE) {
                throw new IllegalArgumentException("tideline.guarantees." + e.getKey()
                        + ": financial event types are always exactly-once");
            }
        }
    }

    public Guarantee guaranteeOf(String eventType) {
        return guarantees.getOrDefault(eventType, Guarantee.EXACTLY_ONCE);
    }

    public record Kafka(
            @DefaultValue("127.0.0.1:19092") String bootstrapServers,
            /** Partitions of each topic Tideline creates; the unit of parallelism. */
            @DefaultValue("6") int partitions,
            /** 1 suits one broker; use 3 in production (with min.insync.replicas=2 on the brokers). */
            @DefaultValue("1") short replicationFactor,
            /**
             * Producer compression of ingest and the process stage. None by default: at the batch sizes that
             * millisecond lingers give (a few records per partition) lz4 saves little and costs a frame set-up per
             * batch in the producer and a decompression in the broker's validation (docs/benchmarks.md). Worth
             * turning on where brokers are across a network and batches are large.
             */
            @DefaultValue("none") String compression,
            @DefaultValue("5ms") Duration linger) {
    }

    public record Topics(
            @DefaultValue("tideline.ingest") String ingest,
            @DefaultValue("tideline.events") String events,
            @DefaultValue("tideline.aggregates") String aggregates,
            @DefaultValue("tideline.alerts") String alerts,
            @DefaultValue("tideline.dlq") String deadLetter,
            /** Results of the metrics declared in the definition file. */
            @DefaultValue("tideline.metrics") String metrics,
            /** Events too late for a declared metric's window (its end plus grace had passed), with the reason in headers. */
            @DefaultValue("tideline.late") String late) {
    }

    public record Streams(
            @DefaultValue("tideline-pipeline") String applicationId,
            /** exactly_once_v2 or at_least_once. */
            @DefaultValue("exactly_once_v2") String processingGuarantee,
            /** Under exactly-once this bounds how long output waits to become visible to read_committed readers. */
            @DefaultValue("100ms") Duration commitInterval,
            @DefaultValue("1") int threads,
            /**
             * How long the process stage's producer waits to fill a batch. Kafka Streams' own default is 100 ms,
             * all of it added to the latency of output read uncommitted.
             */
            @DefaultValue("5ms") Duration producerLinger,
            /**
             * First retry backoff of the process stage's producer. Right after a commit, a send to a partition whose
             * commit marker is not written yet may be answered CONCURRENT_TRANSACTIONS and retried after this long.
             * Kafka's default; 10 ms made no measurable difference (docs/benchmarks.md).
             */
            @DefaultValue("100ms") Duration producerRetryBackoff,
            @DefaultValue(".tideline/state/streams") String stateDir,
            /** How long an event id is remembered: a retry later than this counts again. */
            @DefaultValue("1h") Duration dedupeRetention,
            @DefaultValue("1m") Duration window,
            /** How late (in event time) an event may arrive and still be counted in its window. */
            @DefaultValue("10s") Duration grace,
            /** How often each task sends the changed parts of per-type figures (per-key figures go at once). */
            @DefaultValue("20ms") Duration typeEmitInterval,
            /**
             * host:port at which other instances reach this one's HTTP API (Kafka Streams' application.server): set
             * it when several instances run, so that a window query is forwarded to the instance that owns the key.
             * Empty: this instance answers from its own stores.
             */
            @DefaultValue("") String applicationServer) {
    }

    public record Ingest(
            @DefaultValue("1MB") DataSize maxBodySize,
            @DefaultValue("1000") int maxBatchSize,
            /** How long a request waits for Kafka to acknowledge its events before answering 503. */
            @DefaultValue("10s") Duration sendTimeout,
            /** Requests processed at once; more get 429. With max-body-size this bounds ingest memory. */
            @DefaultValue("64") int maxConcurrentRequests,
            /** Memory the Kafka producer may use to buffer unsent events; when full, requests get 503. */
            @DefaultValue("32MB") DataSize producerBuffer,
            /** How long a request may wait for room in that buffer before 503. */
            @DefaultValue("200ms") Duration bufferWait) {
    }

    public record Anomaly(
            /** The sliding window of an account's recent payments that forms its baseline. */
            @DefaultValue("30m") Duration window,
            /**
             * Steps the window slides in: the baseline covers between window - window / buckets and window. Each
             * bucket costs 24 bytes of state per key, rewritten with every payment.
             */
            @DefaultValue("10") int windowBuckets,
            /** Payments needed in the window before the rule judges anything. */
            @DefaultValue("10") int minSamples,
            /** How many standard deviations from the mean make an anomaly. */
            @DefaultValue("4.0") double zThreshold,
            /** Lower bound of the standard deviation, as a fraction of the mean, so steady spenders don't alert on cents. */
            @DefaultValue("0.1") double minRelativeStddev) {
        public Anomaly {
            if (windowBuckets < 1 || windowBuckets > 1440) {
                throw new IllegalArgumentException("tideline.anomaly.window-buckets: expected 1 to 1440, got " + windowBuckets);
            }
        }
    }

    public record Sink(
            @DefaultValue("true") boolean postgresEnabled,
            @DefaultValue("true") boolean redisEnabled,
            @DefaultValue("2000") int maxPollRecords,
            /**
             * How much a sink's fetch waits for, and how long at most (Kafka's fetch.min.bytes / fetch.max.wait.ms):
             * a store write per handful of records costs more CPU than the records; waiting a few milliseconds
             * for a fuller batch trades that for latency.
             */
            @DefaultValue("1B") DataSize fetchMinSize,
            @DefaultValue("500ms") Duration fetchMaxWait,
            /** Recent alerts kept in the Redis read model. */
            @DefaultValue("500") int recentAlerts,
            /** Wait before retrying a batch that a store refused. */
            @DefaultValue("1s") Duration retryBackoff,
            /**
             * How the Redis read model reads processing output: read_uncommitted (as soon as written, still each
             * event's effect once) or read_committed (a transaction commit later).
             */
            @DefaultValue("read_uncommitted") String readModelIsolation,
            /**
             * PostgreSQL's synchronous_commit for the sink's transactions. "on": a batch is committed once its WAL
             * is on disk. "off": the commit returns before that; a PostgreSQL crash can take back the last commits
             * (up to three wal_writer_delay), their offsets with them, so the sink writes them again from the log:
             * nothing lost or doubled, but a reader may see rows that a crash takes back until then.
             */
            @DefaultValue("on") String postgresSynchronousCommit,
            /**
             * How long the PostgreSQL sink holds window rows (aggregates, parts, declared metrics' windows) back to
             * write each window once with its newest value; the offsets of their partitions wait with them. Zero
             * writes them with every batch.
             */
            @DefaultValue("1s") Duration postgresWindowFlushInterval) {

        private static final Set<String> SYNCHRONOUS_COMMIT = Set.of("on", "off", "local",
                "remote_write", "remote_apply");

        public Sink {
            if (!readModelIsolation.equals("read_uncommitted") && !readModelIsolation.equals("read_committed")) {
                throw new IllegalArgumentException("tideline.sink.read-model-isolation: expected read_uncommitted or "
                        + "read_committed, got \"" + readModelIsolation + "\"");
            }
            if (postgresWindowFlushInterval.isNegative()) {
                throw new IllegalArgumentException("tideline.sink.postgres-window-flush-interval: expected zero or more, got "
                        + postgresWindowFlushInterval);
            }
            if (!SYNCHRONOUS_COMMIT.contains(postgresSynchronousCommit)) {
                throw new IllegalArgumentException("tideline.sink.postgres-synchronous-commit: expected one of "
                        + new TreeSet<>(SYNCHRONOUS_COMMIT) + ", got \"" + postgresSynchronousCommit + "\"");
            }
        }
    }

    public record DeadLetters(
            /** Times one record may be re-driven from the dead-letter topic; beyond that, re-drive is refused. */
            @DefaultValue("3") int maxRedrives) {
    }

    public record Dashboard(
            /** How often aggregate updates are coalesced and pushed to dashboard clients. */
            @DefaultValue("250ms") Duration pushInterval,
            /** How often the throughput snapshot is pushed. */
            @DefaultValue("1s") Duration snapshotInterval) {
    }

    /** The user-declared metrics and rules (docs/definitions.md). */
    public record Analytics(
            /** The pipeline definition file (YAML); empty: none, only the built-in aggregates and payment rule run. */
            @DefaultValue("") String definition,
            /** How often standard-lane metrics send the windows that changed (fast-lane ones send every update). */
            @DefaultValue("1s") Duration emitInterval,
            /**
             * How often windows and absence rules are checked for closing on the wall clock: event time is carried
             * forward by the wall clock while a partition is quiet, so an idle key's window still closes.
             */
            @DefaultValue("1s") Duration closeCheckInterval,
            /** How long a closed window stays queryable through the API (interactive queries). */
            @DefaultValue("1h") Duration keepClosed,
            /** Events a key's sliding window may hold; beyond that the oldest are dropped (and counted). */
            @DefaultValue("10000") int maxSlidingEvents,
            /**
             * How far ahead of this machine's clock an event's time may be and still advance event time: an event
             * further ahead is counted in its window but cannot close the windows of everyone else in its task.
             */
            @DefaultValue("1m") Duration maxClockSkew) {
    }

    public record Registry(
            /**
             * Second port on which this process serves the schema registry API, as Confluent's registry does on 8081;
             * -1 for none (the API is at the main port's root paths either way).
             */
            @DefaultValue("8081") int port,
            /** Register the event families' payload schemas at start-up (idempotent). */
            @DefaultValue("true") boolean registerEventSchemas,
            /** Subjects of the event payload schemas: record_name (default; the ingest topic holds every type),
             *  topic_name or topic_record_name. */
            @DefaultValue("record_name") String subjectStrategy,
            /**
             * An external Confluent-compatible registry for Tideline's components to use instead of this process's
             * own (e.g. http://registry:8081, or Apicurio's .../apis/ccompat/v7); empty for the built-in one.
             */
            @DefaultValue("") String url,
            /**
             * How old the newest registered version of an event schema may be before ingest re-reads it (in the
             * background: events never wait for the registry). A new version is validated against within this.
             */
            @DefaultValue("5s") Duration schemaRefresh) {

        public Registry {
            if (!java.util.Set.of("record_name", "topic_name", "topic_record_name").contains(subjectStrategy)) {
                throw new IllegalArgumentException("tideline.registry.subject-strategy: expected record_name, topic_name or "
                        + "topic_record_name, got \"" + subjectStrategy + "\"");
            }
        }
    }
}
