package io.tideline.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import io.tideline.config.CommandLineArgs;
import io.tideline.devstack.LocalDeployment;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./tideline bench}: starts a deployment (Kafka, PostgreSQL, Redis, Tideline as separate processes), measures
 * the bare-Kafka baseline and then the pipeline at a fixed offered rate, from each event's intended send time to
 * (1) processed output in Kafka, (2) visible in the Redis read model, (3) committed in PostgreSQL, (4) pushed to a
 * dashboard client. Prints a summary, writes a chart and, with {@code --json}, the figures.
 * <p>Options: {@code --rate N} (15000), {@code --duration S} (60), {@code --warmup S} (20), {@code --path kafka|http},
 * {@code --compression C} (none: the load's Kafka client compresses as the pipeline's own producers do),
 * {@code --accounts N} (200), {@code --hot-key F} (0: share of account events on one key), {@code --search R1,R2,…},
 * {@code --repeat N} (1: runs per rate, medians quoted), {@code --json FILE}, {@code --chart FILE},
 * {@code --port-base P} (35000), {@code --app "ARG …"} extra Tideline args, {@code --broker "KEY=VALUE …"} broker
 * settings over the local defaults, {@code --app-jvm "OPT …"} and {@code --broker-jvm "OPT …"} JVM options of Tideline
 * and the broker over their defaults, {@code --prime S} (90: unmeasured JIT warm-up at the first step's rate, ramping
 * up over its first half, before the first step; 0 for none).
 */
public final class BenchRun {

    private static final double TARGET_P99_MS = 50;

    private BenchRun() {
    }

    /** What the load looks like, whatever its rate: entry path, the Kafka client's compression, keys and skew. */
    record Load(String path, String compression, int accounts, double hotKey) {
    }

    /** The figures of one offered rate. */
    record Step(double offered, double achieved, double durationS, long lost, Map<String, Map<String, Object>> points,
                Map<String, Object> baseline, boolean sustainable, Map<String, Map<String, Object>> cpu,
                Map<String, Object> memory, Map<String, List<Map<String, Object>>> perSecond) {
    }

    private static final String USAGE = """
            usage: ./tideline bench [options]   (docs/cli.md)
              --rate N            offered events/s (15000)
              --duration S        measured seconds per run (60), after --warmup S (20)
              --prime S           unmeasured JIT warm-up at the first run's rate, before it (90)
              --path kafka|http   entry path of the load (kafka)
              --compression C     compression.type of the load's Kafka producer and the baseline's (none)
              --accounts N        keys of the account events (200); --hot-key F: their share on one key (0)
              --search R1,R2,...  rates in turn, stopping at the first not sustainable
              --repeat N          runs per rate, medians quoted (1)
              --json FILE         the figures; --chart FILE: the chart (target/bench/chart.html)
              --app "ARG ..."     extra Tideline arguments; --broker "KEY=VALUE ...": broker settings
              --app-jvm "OPT ..." Tideline's JVM options over -Xmx1g -XX:+UseG1GC; --broker-jvm: the broker's
              --port-base P       first of the ports the deployment uses (35000); --work DIR: its files""";

    public static void main(String[] args) throws Exception {
        CommandLineArgs.exitUnlessUnderstood(args, USAGE);
        double rate = Double.parseDouble(CommandLineArgs.value(args, "--rate", "15000"));
        long durationS = Long.parseLong(CommandLineArgs.value(args, "--duration", "60"));
        long warmupS = Long.parseLong(CommandLineArgs.value(args, "--warmup", "20"));
        long primeS = Long.parseLong(CommandLineArgs.value(args, "--prime", "90"));
        String path = CommandLineArgs.value(args, "--path", "kafka");
        String compression = CommandLineArgs.value(args, "--compression", "none");
        int accounts = CommandLineArgs.intValue(args, "--accounts", 200);
        double hotKey = Double.parseDouble(CommandLineArgs.value(args, "--hot-key", "0"));
        String search = CommandLineArgs.value(args, "--search", null);
        int repeat = CommandLineArgs.intValue(args, "--repeat", 1);
        String json = CommandLineArgs.value(args, "--json", null);
        Path chart = Path.of(CommandLineArgs.value(args, "--chart", "target/bench/chart.html"));
        int portBase = CommandLineArgs.intValue(args, "--port-base", 35000);
        String appArgs = CommandLineArgs.value(args, "--app", "");
        String brokerSettings = CommandLineArgs.value(args, "--broker", "");
        Map<LocalDeployment.Part, List<String>> jvmOptions = Map.of(
                LocalDeployment.Part.TIDELINE, words(CommandLineArgs.value(args, "--app-jvm", "")),
                LocalDeployment.Part.KAFKA, words(CommandLineArgs.value(args, "--broker-jvm", "")));
        Path work = Path.of(CommandLineArgs.value(args, "--work", ".tideline/bench/"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
        Files.createDirectories(work);
        if (!path.equals("kafka") && !path.equals("http")) {
            throw new IllegalArgumentException("--path must be kafka or http");
        }
        Load shape = new Load(path, compression, accounts, hotKey);

        List<Double> rates = search == null ? List.of(rate)
                : Arrays.stream(search.split(",")).map(String::trim).map(Double::parseDouble).toList();
        LocalDeployment deployment = new LocalDeployment(work, portBase, words(appArgs), words(brokerSettings), jvmOptions);
        Runtime.getRuntime().addShutdownHook(new Thread(deployment::close, "bench-cleanup"));
        List<Step> steps = new ArrayList<>();
        List<List<Step>> runs = new ArrayList<>();
        try {
            deployment.startAll();
            awaitHealthy("http://127.0.0.1:" + deployment.httpPort(), Duration.ofMinutes(3));
            say("deployment up (logs in %s); path %s, compression %s, %d accounts, hot-key share %.2f", work, path,
                    compression, accounts, hotKey);
            prime(deployment, shape, rates.get(0), primeS);
            for (double offered : rates) {
                List<Step> repeated = new ArrayList<>();
                for (int run = 1; run <= repeat; run++) {
                    Step step = measure(deployment, shape, offered, warmupS, durationS);
                    repeated.add(step);
                    print(repeat == 1 ? "" : String.format(" (run %d of %d)", run, repeat), step);
                }
                Step median = StepMedians.of(repeated, TARGET_P99_MS);
                if (repeat > 1) {
                    print(String.format(" — median of %d runs (lost, unobserved: worst run)", repeat), median);
                }
                runs.add(repeated);
                steps.add(median);
                if (search != null && !median.sustainable()) {
                    break;
                }
            }
        } finally {
            deployment.close();
        }
        Double maxSustainable = search == null ? null : steps.stream().filter(Step::sustainable)
                .mapToDouble(Step::offered).max().stream().boxed().findFirst().orElse(0.0);
        if (maxSustainable != null) {
            say("maximum sustainable rate (p99 to read model < %.0f ms, no backlog): %.0f events/s", TARGET_P99_MS, maxSustainable);
        }
        BenchReport.chart(chart, steps);
        say("chart: %s", chart.toAbsolutePath());
        if (json != null) {
            Map<String, Object> out = new LinkedHashMap<>();
            Step main = steps.get(0);
            out.put("time", Instant.now().toString());
            out.put("path", path);
            out.put("compression", compression);
            out.put("offered_rate", main.offered());
            out.put("achieved_rate", main.achieved());
            out.put("duration_s", main.durationS());
            out.put("lost", main.lost());
            out.putAll(main.points());
            out.put("baseline", main.baseline());
            out.put("ratio_to_baseline_p99", ratios(main));
            out.put("cpu", main.cpu());
            out.put("memory", main.memory());
            if (repeat == 1) {
                out.put("per_second", main.perSecond()); // with --repeat, each run's under runs
            }
            if (maxSustainable != null) {
                out.put("max_sustainable_rate", maxSustainable);
                out.put("steps", steps);
            }
            if (repeat > 1) {
                out.put("repeat", repeat);
                out.put("runs", runs);
            }
            Path file = Path.of(json);
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.writeString(file, JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(out) + "\n");
        }
        System.exit(0);
    }

    /**
     * Runs the pipeline unmeasured first: a fresh JVM spends its first minutes compiling (C2 took a core for about
     * two minutes under load, JFR), and what the bench is after is the steady state. At the rate to be measured,
     * not below it: the JIT compiles again when the load changes (primed at 1,000 events/s, the first run at 5,000
     * still spent 7.5 s of its 60 compiling, the second 2 s; docs/benchmarks.md). The rate ramps up over the first
     * half, so that the cold JVM is not flooded, and whatever backlog it built is processed before anything is
     * measured. Cold-start behaviour is a separate question.
     */
    private static void prime(LocalDeployment d, Load shape, double rate, long primeS) throws Exception {
        if (primeS <= 0) {
            return;
        }
        say("priming: %.0f events/s for %d s, unmeasured (JIT warm-up)", rate, primeS);
        long start = System.currentTimeMillis() + 500;
        BenchLoad load = new BenchLoad(System.nanoTime(), shape.accounts(), shape.hotKey(), List.of(), primeS * 1000 / 2, 0, 0);
        if (shape.path().equals("kafka")) {
            load.runKafka(d.kafkaBootstrap(), "tideline.ingest", shape.compression(), rate, start, primeS * 1000);
        } else {
            load.runHttp("http://127.0.0.1:" + d.httpPort(), rate, start, primeS * 1000);
        }
        awaitProcessed(d.kafkaBootstrap(), Duration.ofMinutes(3));
    }

    /** The pipeline's committed input offsets reach the ingest topic's end. */
    private static void awaitProcessed(String bootstrap, Duration timeout) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            long deadline = System.nanoTime() + timeout.toNanos();
            long lag = Long.MAX_VALUE;
            while (System.nanoTime() < deadline) {
                var committed = admin.listConsumerGroupOffsets("tideline-pipeline").partitionsToOffsetAndMetadata().get();
                var ends = admin.listOffsets(committed.keySet().stream()
                        .filter(tp -> tp.topic().equals("tideline.ingest"))
                        .collect(java.util.stream.Collectors.toMap(tp -> tp,
                                tp -> org.apache.kafka.clients.admin.OffsetSpec.latest()))).all().get();
                lag = ends.entrySet().stream().mapToLong(e -> e.getValue().offset() - committed.get(e.getKey()).offset()).sum();
                if (!ends.isEmpty() && lag <= 0) {
                    return;
                }
                Thread.sleep(500);
            }
            say("warning: the pipeline still had %d ingest records to process after priming", lag);
        }
    }

    private static Step measure(LocalDeployment d, Load shape, double rate, long warmupS, long durationS) throws Exception {
        say("baseline: bare Kafka produce -> consume at %.0f/s for %d s (+%d s warm-up)", rate, durationS, warmupS);
        LatencyRecorder baseline = new LatencyRecorder("baseline");
        long baseStart = System.currentTimeMillis() + 500;
        baseline.window(baseStart + warmupS * 1000, baseStart + (warmupS + durationS) * 1000);
        MeasuredCpu baselineCpu = MeasuredCpu.between(cpuUsage(d), baseStart + warmupS * 1000,
                baseStart + (warmupS + durationS) * 1000, () -> (long) (rate * durationS));
        BaselineLoad.measure(d.kafkaBootstrap(), shape.compression(), rate, baseStart, (warmupS + durationS) * 1000, baseline);
        Map<String, Object> baselineFigures = new LinkedHashMap<>(baseline.summary());
        baselineFigures.put("cpu", baselineCpu.await(Duration.ofSeconds(60)));

        say("pipeline: %.0f events/s over %s for %d s (+%d s warm-up, ramping up from a tenth)", rate, shape.path(), durationS, warmupS);
        LatencyRecorder kafka = new LatencyRecorder("kafka");
        LatencyRecorder readModel = new LatencyRecorder("read_model");
        LatencyRecorder postgres = new LatencyRecorder("postgres");
        LatencyRecorder push = new LatencyRecorder("push");
        long start = System.currentTimeMillis() + 1000;
        long measureFrom = start + warmupS * 1000;
        long measureUntil = measureFrom + durationS * 1000;
        for (LatencyRecorder r : List.of(kafka, readModel, postgres, push)) {
            r.window(measureFrom, measureUntil);
        }
        AtomicBoolean running = new AtomicBoolean(true);
        String baseUrl = "http://127.0.0.1:" + d.httpPort();
        List<Thread> observers = List.of(
                Observers.eventsTopic(d.kafkaBootstrap(), "tideline.events", kafka, running),
                Observers.readModel(d.redisPort(), readModel, running),
                Observers.push(baseUrl, push, running));
        BenchLoad load = new BenchLoad(System.nanoTime(), shape.accounts(), shape.hotKey(), List.of(readModel, push),
                warmupS * 1000, measureFrom, measureUntil);
        MeasuredCpu cpu = MeasuredCpu.between(cpuUsage(d), measureFrom, measureUntil, load.measured::get);
        HeapSampler heap = HeapSampler.between(baseUrl, () -> d.processes(LocalDeployment.Part.TIDELINE), measureFrom, measureUntil);
        if (shape.path().equals("kafka")) {
            load.runKafka(d.kafkaBootstrap(), "tideline.ingest", shape.compression(), rate, start, (warmupS + durationS) * 1000);
        } else {
            load.runHttp(baseUrl, rate, start, (warmupS + durationS) * 1000);
        }
        double achieved = load.measured.get() / (double) durationS;
        Map<String, Map<String, Object>> cpuUsed = cpu.await(Duration.ofSeconds(60));
        Map<String, Object> memory = new LinkedHashMap<>(heap.await(Duration.ofSeconds(60)));
        // Drain: an event still pending after this is a backlog, reported as unobserved.
        long drainEnd = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < drainEnd && (readModel.unobserved() > 0)) {
            Thread.sleep(200);
        }
        BaselineLoad.awaitQuiet(kafka, Duration.ofSeconds(10));
        running.set(false);
        if (!memory.isEmpty()) {
            memory.put("live_after_mb", heap.liveSetMb());
        }
        long stored = postgresLatencies(d.jdbcUrl(), start, start + (warmupS + durationS) * 1000 + 1000, postgres);
        long lost = Math.max(0, load.acked.get() - stored);
        Map<String, Map<String, Object>> points = new LinkedHashMap<>();
        for (LatencyRecorder r : List.of(kafka, readModel, postgres, push)) {
            Map<String, Object> summary = new LinkedHashMap<>(r.summary());
            if (r == readModel || r == push) {
                summary.put("unobserved", r.unobserved());
            }
            points.put(r.name(), summary);
        }
        boolean sustainable = readModel.p99() < TARGET_P99_MS && achieved >= 0.97 * rate && readModel.unobserved() == 0 && lost == 0;
        Map<String, List<Map<String, Object>>> perSecond = new LinkedHashMap<>();
        for (LatencyRecorder r : List.of(kafka, readModel, postgres, push)) {
            perSecond.put(r.name(), r.perSecond());
        }
        perSecond.put("cpu_cores", cpu.perSecond()); // by wall clock; the latencies by intended time, < 1 s apart in steady state
        return new Step(rate, Math.round(achieved), durationS, lost, points, baselineFigures, sustainable, cpuUsed, memory,
                perSecond);
    }

    /** The bench's own process is the load generator and the observers. */
    private static CpuUsage cpuUsage(LocalDeployment d) {
        Map<String, java.util.function.Supplier<List<ProcessHandle>>> parts = new LinkedHashMap<>();
        for (LocalDeployment.Part part : LocalDeployment.Part.values()) {
            parts.put(part.name().toLowerCase(), () -> d.processes(part));
        }
        parts.put("bench", () -> List.of(ProcessHandle.current()));
        return new CpuUsage(parts);
    }

    /** Kafka Streams RUNNING and both stores writable: measuring a start-up would measure the start-up. */
    private static void awaitHealthy(String baseUrl, Duration timeout) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                var response = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl + "/actuator/health")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"RUNNING\"")) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("Tideline did not become healthy within " + timeout);
    }

    /** Committed in PostgreSQL: stored_at (the sink's transaction time) minus the event's intended time. */
    private static long postgresLatencies(String jdbcUrl, long fromMs, long untilMs, LatencyRecorder recorder) throws Exception {
        long rows = 0;
        try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "postgres")) {
            db.setAutoCommit(false);
            try (PreparedStatement st = db.prepareStatement(
                    "select (extract(epoch from event_time) * 1000)::bigint, (extract(epoch from stored_at) * 1000000)::bigint "
                            + "from events where event_time >= ? and event_time < ?")) {
                st.setFetchSize(10_000);
                st.setTimestamp(1, Timestamp.from(Instant.ofEpochMilli(fromMs)));
                st.setTimestamp(2, Timestamp.from(Instant.ofEpochMilli(untilMs)));
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        recorder.record(rs.getLong(1), rs.getLong(2));
                        rows++;
                    }
                }
            }
        }
        return rows;
    }

    static Map<String, Object> ratios(Step step) {
        Map<String, Object> ratios = new LinkedHashMap<>();
        double base = ((Number) step.baseline().get("p99")).doubleValue();
        step.points().forEach((name, p) -> ratios.put(name, base == 0 ? null
                : Math.round(((Number) p.get("p99")).doubleValue() / base * 10) / 10.0));
        return ratios;
    }

    private static void print(String label, Step s) {
        System.out.printf("%n  offered %.0f/s, achieved %.0f/s, %d s measured, lost %d%s%s%n", s.offered(), s.achieved(),
                (long) s.durationS(), s.lost(), s.lost() == 0 ? ""
                        : " (acknowledged, not in PostgreSQL after the drain: over capacity, mostly a backlog)", label);
        System.out.printf("  %-12s %9s %9s %9s %9s %9s %8s%n", "point (ms)", "p50", "p95", "p99", "p99.9", "max", "count");
        printRow("baseline", s.baseline());
        s.points().forEach(BenchRun::printRow);
        System.out.printf("  p99 / baseline p99: %s; sustainable: %s%n", ratios(s), s.sustainable());
        printWorstSeconds(s);
        printCpu("pipeline", s.cpu());
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> baselineCpu = (Map<String, Map<String, Object>>) s.baseline().get("cpu");
        printCpu("baseline", baselineCpu);
        if (s.memory() != null && !s.memory().isEmpty()) {
            System.out.printf("  Tideline heap (MB): limit %s, peak %s, lowest per minute %s, live set (after a full GC) before "
                            + "the window %s and after the run %s; GC pauses %s (%s ms, %s of the time)%n",
                    s.memory().get("heap_limit_mb"), s.memory().get("heap_peak_mb"), s.memory().get("heap_trough_mb_per_minute"),
                    s.memory().get("live_before_mb"), s.memory().get("live_after_mb"),
                    s.memory().get("gc_pauses"), s.memory().get("gc_pause_ms"), s.memory().get("gc_pause_share"));
        }
        System.out.println();
    }

    /** Whether the read model's tail is a few bad seconds or all of them. */
    private static void printWorstSeconds(Step s) {
        List<Map<String, Object>> seconds = s.perSecond() == null ? null : s.perSecond().get("read_model");
        if (seconds == null || seconds.isEmpty()) {
            return;
        }
        Map<Object, Object> cores = new HashMap<>();
        s.perSecond().getOrDefault("cpu_cores", List.of()).forEach(row -> cores.put(row.get("second"), row.get("total")));
        double[] p99s = seconds.stream().mapToDouble(m -> ((Number) m.get("p99")).doubleValue()).toArray();
        String worst = seconds.stream()
                .sorted(Comparator.comparingDouble((Map<String, Object> m) -> ((Number) m.get("p99")).doubleValue()).reversed())
                .limit(3).map(m -> String.format("%s (%s ms, %s cores)", m.get("second"), m.get("p99"),
                        cores.getOrDefault(m.get("second"), "?")))
                .collect(Collectors.joining(", "));
        double[] busy = cores.values().stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
        System.out.printf("  read model by second of the window: median p99 %.1f ms, worst seconds %s; all parts %.2f cores "
                + "in the median second%n", StepMedians.median(p99s), worst, busy.length == 0 ? Double.NaN : StepMedians.median(busy));
    }

    private static void printCpu(String phase, Map<String, Map<String, Object>> cpu) {
        if (cpu != null) {
            StringBuilder line = new StringBuilder(String.format("  CPU, %s (cores / µs per event):", phase));
            cpu.forEach((part, f) -> line.append(String.format(" %s %s / %s,", part, f.get("cores"), f.get("us_per_event"))));
            System.out.println(line.substring(0, line.length() - 1));
        }
    }

    private static void printRow(String name, Map<String, Object> p) {
        System.out.printf("  %-12s %9s %9s %9s %9s %9s %8s%n", name, p.get("p50"), p.get("p95"), p.get("p99"), p.get("p999"), p.get("max"), p.get("count"));
    }

    /** A quoted option's words: {@code --app "--a=1 --b=2"}. */
    private static List<String> words(String value) {
        return value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
    }

    private static void say(String format, Object... args) {
        System.out.printf("[bench %s] %s%n", LocalDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")), String.format(format, args));
    }
}
