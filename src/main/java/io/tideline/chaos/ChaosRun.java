package io.tideline.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.tideline.devstack.LocalDeployment;
import io.tideline.devstack.LocalDeployment.Part;
import io.tideline.config.CommandLineArgs;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./tideline chaos}: runs the whole pipeline under steady load, injects faults at random times, then
 * verifies the stores against the ground truth and prints the figures. Exits 1 on any loss, duplicate or mismatch.
 * <p>Options: {@code --duration S} (120), {@code --rate N} events/s (300), {@code --faults N} of each kind
 * (2), {@code --json FILE}, {@code --seed N}, {@code --work DIR}, {@code --port-base P} (31000).
 */
public final class ChaosRun {

    enum Fault { TIDELINE_KILL9, BROKER_RESTART, POSTGRES_RESTART, REDIS_RESTART, POISON }

    private static final String INGEST_TOPIC = "tideline.ingest";
    private static final String DEAD_LETTER_TOPIC = "tideline.dlq";
    /** A declared metric verified against the ground truth like the built-in windows (its grace matches theirs). */
    static final String DECLARED_METRIC = "chaos-spend-per-key";
    /**
     * The chaos run's pipeline definition: the verified metric, plus a standard-lane metric, a sequence rule and an
     * absence rule so that repartition topics and rule stores go through every fault too.
     */
    private static final String DEFINITION = """
            metrics:
              - name: %s
                source: payment
                group-by: key
                window: {type: tumbling, size: 1m, grace: 10m}
                aggregate: [count, sum(amount)]
              - name: chaos-spend-per-merchant
                source: payment
                group-by: merchant
                window: {type: hopping, size: 2m, advance: 1m, grace: 10m}
                aggregate: [count, sum(amount), p99(amount), distinct(key)]
            anomalies:
              - name: chaos-login-burst
                source: account-activity
                velocity: {count: 20, within: 1m}
            sequences:
              - name: chaos-order-paid-not-shipped
                key: orderId
                first: {type: order-status, where: "status == 'PAID'"}
                not-followed-by: {type: order-status, where: "status == 'SHIPPED'"}
                within: 1h
            """.formatted(DECLARED_METRIC);

    private ChaosRun() {
    }

    private static final String USAGE = """
            usage: ./tideline chaos [options]   (docs/reliability.md)
              --duration S     seconds of load with faults (120)
              --rate N         offered events/s (300)
              --faults N       faults of each kind (2)
              --seed N         the faults' random seed (the clock)
              --json FILE      the verdict and figures
              --work DIR       processes' files and logs; --port-base P: first port used (31000)""";

    public static void main(String[] args) throws Exception {
        CommandLineArgs.exitUnlessUnderstood(args, USAGE);
        long durationS = Long.parseLong(CommandLineArgs.value(args, "--duration", "120"));
        double rate = Double.parseDouble(CommandLineArgs.value(args, "--rate", "300"));
        int perKind = Integer.parseInt(CommandLineArgs.value(args, "--faults", "2"));
        long seed = Long.parseLong(CommandLineArgs.value(args, "--seed", Long.toString(System.nanoTime())));
        String json = CommandLineArgs.value(args, "--json", null);
        Path work = Path.of(CommandLineArgs.value(args, "--work", ".tideline/chaos/" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
        int portBase = Integer.parseInt(CommandLineArgs.value(args, "--port-base", "31000"));
        Files.createDirectories(work);
        Random random = new Random(seed);
        say("seed %d, %d s at %.0f events/s, %d faults of each kind; processes and logs in %s", seed, durationS, rate, perKind, work);

        Map<Fault, Integer> injected = new EnumMap<>(Fault.class);
        for (Fault f : Fault.values()) {
            injected.put(f, 0);
        }
        GroundTruth truth = new GroundTruth();
        // Catch-up after an outage interleaves partitions: keep late-but-valid events in their windows.
        Path definition = work.resolve("definition.yml");
        Files.writeString(definition, DEFINITION);
        LocalDeployment processes = new LocalDeployment(work, portBase,
                List.of("--tideline.streams.grace=10m", "--tideline.sink.retry-backoff=500ms",
                        "--tideline.analytics.definition=" + definition.toAbsolutePath()));
        Runtime.getRuntime().addShutdownHook(new Thread(processes::close, "chaos-cleanup"));
        int exit;
        try {
            processes.startAll();
            say("all parts up: Kafka %s, PostgreSQL, Redis, Tideline http://127.0.0.1:%d/", processes.kafkaBootstrap(), processes.httpPort());
            ChaosLoad load = new ChaosLoad(processes.kafkaBootstrap(), INGEST_TOPIC, rate, truth, seed);
            Thread loadThread = new Thread(load, "chaos-load");
            loadThread.start();

            List<Fault> plan = new ArrayList<>();
            for (Fault f : Fault.values()) {
                for (int i = 0; i < perKind; i++) {
                    plan.add(f);
                }
            }
            Collections.shuffle(plan, random);
            long start = System.nanoTime();
            long slot = Duration.ofSeconds(durationS).toNanos() / (plan.size() + 1);
            for (int i = 0; i < plan.size(); i++) {
                // a random moment within the fault's slot; the faults are the scenario, not synchronisation
                long at = start + slot * (i + 1) - slot / 2 + (long) (random.nextDouble() * slot / 2);
                sleepUntil(at);
                requireAllUp(processes, work);
                Fault fault = plan.get(i);
                inject(fault, processes, load, random);
                injected.merge(fault, 1, Integer::sum);
            }
            sleepUntil(start + Duration.ofSeconds(durationS).toNanos());
            say("load stops: %d sent (%d client duplicates, %d failed sends re-sent), %d poison records",
                    load.sent.get(), load.clientDuplicates.get(), load.failedSends.get(), load.poisonSent.get());
            load.finish(120_000);
            loadThread.join();
            say("%d events accepted by Kafka; draining and verifying", truth.size());
            requireAllUp(processes, work);

            ChaosVerifier verifier = new ChaosVerifier(processes, DEAD_LETTER_TOPIC);
            ChaosVerifier.Figures figures = null;
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    figures = verifier.check(truth);
                    if (figures.clean(load.poisonSent.get())) {
                        break;
                    }
                } catch (Exception e) {
                    say("verification not possible yet: %s", e.getMessage());
                }
                Thread.sleep(2000); // the stores converge asynchronously; re-check until clean or the deadline
            }
            if (figures == null) {
                throw new IllegalStateException("could not read the stores to verify");
            }
            report(figures, injected, load, durationS, rate, seed);
            if (json != null) {
                writeJson(Path.of(json), figures, injected, load, durationS, rate, seed);
            }
            exit = figures.clean(load.poisonSent.get()) ? 0 : 1;
            say(exit == 0 ? "PASSED: nothing lost, nothing counted twice, every aggregate right"
                    : "FAILED: see the figures above and the logs in " + work);
        } finally {
            processes.close();
        }
        System.exit(exit);
    }

    /**
     * A part restarted by a fault must stay up: one that came back and then died would otherwise surface only as a
     * verification timing out, long after, with no word of why.
     */
    private static void requireAllUp(LocalDeployment processes, Path work) {
        Map<Part, Integer> exited = processes.exited();
        if (!exited.isEmpty()) {
            throw new IllegalStateException("FAILED: " + exited.entrySet().stream()
                    .map(e -> e.getKey() + " exited with code " + e.getValue()).toList()
                    + " on its own; see its log in " + work);
        }
    }

    private static void inject(Fault fault, LocalDeployment processes, ChaosLoad load, Random random) throws Exception {
        long t0 = System.nanoTime();
        switch (fault) {
            case TIDELINE_KILL9 -> {
                processes.kill(Part.TIDELINE);
                processes.start(Part.TIDELINE);
            }
            case BROKER_RESTART -> {
                processes.stop(Part.KAFKA);
                processes.start(Part.KAFKA);
            }
            case POSTGRES_RESTART -> {
                processes.stop(Part.POSTGRES);
                Thread.sleep(1000 + random.nextInt(3000)); // the outage
                processes.start(Part.POSTGRES);
            }
            case REDIS_RESTART -> {
                processes.stop(Part.REDIS);
                Thread.sleep(1000 + random.nextInt(3000));
                processes.start(Part.REDIS);
            }
            case POISON -> load.sendPoison(1 + random.nextInt(5));
        }
        say("fault %-16s done in %.1f s", fault, (System.nanoTime() - t0) / 1e9);
    }

    private static void report(ChaosVerifier.Figures f, Map<Fault, Integer> injected, ChaosLoad load, long durationS,
                               double rate, long seed) {
        System.out.printf("""

                Chaos run: %d s at %.0f events/s, seed %d
                  events accepted        %d
                  events in PostgreSQL   %d
                  missing                %d
                  unexpected             %d
                  duplicated             %d
                  aggregates checked     %d (PostgreSQL windows, Redis latest windows, declared metric %s)
                  aggregates mismatched  %d
                  anomalies injected     %d; alerts found %d, of them on injected anomalies %d; Redis alerts not in PostgreSQL %d
                  poison records sent    %d; dead-letter records %d, with a reason %d %s
                  client duplicates sent %d; failed sends re-sent %d
                  faults injected        %s
                """, durationS, rate, seed, f.accepted(), f.stored(), f.missing(), f.unexpected(), f.duplicated(),
                f.aggregatesChecked(), DECLARED_METRIC, f.aggregatesMismatched(), f.anomaliesInjected(), f.alertsFound(), f.alertsOnInjected(),
                f.redisAlertsNotInPostgres(), load.poisonSent.get(), f.deadLetters(), f.deadLettersWithReason(),
                f.deadLetterReasons(), load.clientDuplicates.get(), load.failedSends.get(), injected);
        f.mismatchExamples().forEach(m -> System.out.println("  mismatch: " + m));
    }

    private static void writeJson(Path file, ChaosVerifier.Figures f, Map<Fault, Integer> injected, ChaosLoad load,
                                  long durationS, double rate, long seed) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("time", Instant.now().toString());
        out.put("duration_s", durationS);
        out.put("rate", rate);
        out.put("seed", seed);
        out.put("accepted", f.accepted());
        out.put("stored", f.stored());
        out.put("missing", f.missing());
        out.put("unexpected", f.unexpected());
        out.put("duplicated", f.duplicated());
        out.put("aggregates_checked", f.aggregatesChecked());
        out.put("aggregates_mismatched", f.aggregatesMismatched());
        out.put("anomalies_injected", f.anomaliesInjected());
        out.put("alerts_found", f.alertsFound());
        out.put("alerts_on_injected_anomalies", f.alertsOnInjected());
        out.put("poison_sent", load.poisonSent.get());
        out.put("dlq_records", f.deadLetters());
        out.put("dlq_with_reason", f.deadLettersWithReason());
        out.put("dlq_reasons", f.deadLetterReasons());
        out.put("client_duplicates_sent", load.clientDuplicates.get());
        Map<String, Integer> faults = new LinkedHashMap<>();
        injected.forEach((k, v) -> faults.put(k.name().toLowerCase(), v));
        out.put("faults", faults);
        out.put("passed", f.clean(load.poisonSent.get()));
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        Files.writeString(file, JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(out) + "\n");
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    private static void say(String format, Object... args) {
        System.out.printf("[chaos %s] %s%n", LocalDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")), String.format(format, args));
    }

}
