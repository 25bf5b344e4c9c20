package io.tideline.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs each part of a Tideline deployment — Kafka broker, PostgreSQL, Redis, the pipeline — as a child process of
 * its own, so that any one can be stopped, killed or restarted while the others run (chaos) or measured apart
 * (bench). Ports: Kafka at the base port (controller +1), PostgreSQL +2, Redis +3, HTTP +4. Every process is tracked
 * by PID and stopped on {@link #close()}.
 */
public final class LocalDeployment implements AutoCloseable {

    public enum Part { KAFKA, POSTGRES, REDIS, TIDELINE }

    private final Path work;
    private final String java = ProcessHandle.current().info().command().orElse("java");
    private final String classpath = System.getProperty("java.class.path");
    private final int kafkaPort;
    private final int postgresPort;
    private final int redisPort;
    private final int httpPort;
    private final Map<Part, Process> running = new LinkedHashMap<>();
    private final List<String> tidelineArgs;
    private final List<String> brokerSettings;
    private final Map<Part, JvmOptions> jvm = new EnumMap<>(Map.of(
            Part.KAFKA, JvmOptions.of("-Xmx512m"),
            Part.POSTGRES, JvmOptions.of("-Xmx128m"),
            Part.REDIS, JvmOptions.of("-Xmx64m"),
            Part.TIDELINE, JvmOptions.of("-Xmx1g", "-XX:+UseG1GC")));

    public LocalDeployment(Path work, int portBase, List<String> tidelineArgs) {
        this(work, portBase, tidelineArgs, List.of(), Map.of());
    }

    /**
     * @param brokerSettings {@code key=value} lines for the broker, after (so overriding) the local defaults
     * @param jvmOptions     options for a part's JVM over its defaults (see {@link JvmOptions})
     */
    public LocalDeployment(Path work, int portBase, List<String> tidelineArgs, List<String> brokerSettings,
                           Map<Part, List<String>> jvmOptions) {
        this.tidelineArgs = List.copyOf(tidelineArgs);
        this.brokerSettings = List.copyOf(brokerSettings);
        jvmOptions.forEach((part, options) -> jvm.compute(part, (p, defaults) -> defaults.with(options)));
        this.work = work;
        this.kafkaPort = portBase;
        this.postgresPort = portBase + 2;
        this.redisPort = portBase + 3;
        this.httpPort = portBase + 4;
    }

    public String kafkaBootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/postgres";
    }

    public int redisPort() {
        return redisPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public void startAll() throws IOException, InterruptedException {
        formatKafka();
        for (Part part : Part.values()) {
            start(part);
        }
    }

    public synchronized void start(Part part) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java, "-cp", classpath, "-Dlogback.configurationFile="
                + work.resolve("logback.xml")));
        command.addAll(jvm.get(part).resolved());
        switch (part) {
            case KAFKA -> command.addAll(List.of("kafka.Kafka", kafkaProperties().toString()));
            case POSTGRES -> command.addAll(List.of("io.tideline.devstack.LocalPostgres", "--port", "" + postgresPort,
                    "--data-dir", work.resolve("postgres").toString(), "--pid-file", serverPidFile(part).toString()));
            case REDIS -> command.addAll(List.of("io.tideline.devstack.LocalRedis", "--port", "" + redisPort,
                    "--pid-file", serverPidFile(part).toString()));
            case TIDELINE -> {
                command.addAll(List.of("io.tideline.TidelineApplication",
                    "--server.port=" + httpPort,
                    "--tideline.registry.port=" + (httpPort + 1),
                    "--tideline.kafka.bootstrap-servers=" + kafkaBootstrap(),
                    "--spring.datasource.url=" + jdbcUrl(),
                    "--spring.data.redis.port=" + redisPort,
                    "--tideline.streams.state-dir=" + work.resolve("streams"),
                    "--logging.level.root=WARN", "--logging.level.io.tideline=INFO"));
                command.addAll(tidelineArgs);
            }
        }
        Path log = work.resolve(part.name().toLowerCase() + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        running.put(part, process);
        Files.writeString(work.resolve(part.name().toLowerCase() + ".pid"), process.pid() + "\n");
        switch (part) {
            case KAFKA -> awaitPort(kafkaPort, process, Duration.ofSeconds(60));
            case POSTGRES, REDIS -> await(() -> Files.exists(serverPidFile(part)) && logContains(log, "ready (server pid"),
                    process, Duration.ofSeconds(90), part);
            case TIDELINE -> awaitPort(httpPort, process, Duration.ofSeconds(180));
        }
    }

    /**
     * The processes of a running part: its child process, the server it launched (PostgreSQL's postmaster, Redis)
     * and their descendants — what its CPU use is the sum of.
     */
    public synchronized List<ProcessHandle> processes(Part part) {
        Map<Long, ProcessHandle> found = new LinkedHashMap<>();
        Process process = running.get(part);
        List<ProcessHandle> roots = new ArrayList<>();
        if (process != null) {
            roots.add(process.toHandle());
        }
        try {
            Path serverPid = serverPidFile(part);
            if (Files.exists(serverPid)) {
                ProcessHandle.of(Long.parseLong(Files.readString(serverPid).trim())).ifPresent(roots::add);
            }
        } catch (IOException | NumberFormatException e) {
            // between a restart's stop and start: only the child process counts
        }
        for (ProcessHandle root : roots) {
            found.put(root.pid(), root);
            root.descendants().forEach(d -> found.put(d.pid(), d));
        }
        return List.copyOf(found.values());
    }

    /** Parts started and not stopped since whose process has exited on its own, with its exit code. */
    public synchronized Map<Part, Integer> exited() {
        Map<Part, Integer> exited = new LinkedHashMap<>();
        running.forEach((part, process) -> {
            if (!process.isAlive()) {
                exited.put(part, process.exitValue());
            }
        });
        return exited;
    }

    /** SIGKILL: no shutdown hooks, no clean close — what a crash or the OOM killer does. */
    public synchronized void kill(Part part) throws InterruptedException {
        Process process = running.remove(part);
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM, then waits for the process and (for PostgreSQL and Redis) the server it runs to be gone. */
    public synchronized void stop(Part part) throws IOException, InterruptedException {
        Process process = running.remove(part);
        if (process != null) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        Path serverPid = serverPidFile(part);
        if (Files.exists(serverPid)) {
            long pid = Long.parseLong(Files.readString(serverPid).trim());
            Optional<ProcessHandle> server = ProcessHandle.of(pid);
            if (server.isPresent() && server.get().isAlive()) {
                server.get().destroy();
                try {
                    server.get().onExit().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    server.get().destroyForcibly();
                }
            }
            Files.delete(serverPid);
        }
    }

    @Override
    public void close() {
        List<Part> parts = new ArrayList<>(List.of(Part.values()));
        Collections.reverse(parts);
        for (Part part : parts) {
            try {
                stop(part);
            } catch (Exception e) {
                System.err.println("could not stop " + part + ": " + e);
            }
        }
    }

    private Path serverPidFile(Part part) {
        return work.resolve(part.name().toLowerCase() + ".server.pid");
    }

    private void formatKafka() throws IOException, InterruptedException {
        Files.writeString(work.resolve("logback.xml"), """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{30} - %msg%n</pattern></encoder>
                  </appender>
                  <root level="WARN"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
        Path props = kafkaProperties();
        Files.writeString(props, String.join("\n",
                "process.roles=broker,controller", "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + (kafkaPort + 1),
                "listeners=PLAINTEXT://127.0.0.1:" + kafkaPort + ",CONTROLLER://127.0.0.1:" + (kafkaPort + 1),
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + kafkaPort,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + work.resolve("kafka")) + "\n" + brokerDefaults() + String.join("\n", brokerSettings) + "\n");
        Process format = new ProcessBuilder(java, "-cp", classpath, "kafka.tools.StorageTool", "format", "-t",
                org.apache.kafka.common.Uuid.randomUuid().toString(), "-c", props.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("kafka-format.log").toFile()).start();
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
            throw new IOException("could not format Kafka storage: see " + work.resolve("kafka-format.log"));
        }
    }

    /** The settings every local broker shares (also read by scripts/demo.sh). */
    private static String brokerDefaults() throws IOException {
        try (InputStream in = LocalDeployment.class.getResourceAsStream("/devstack/kafka-broker.properties")) {
            if (in == null) {
                throw new IOException("devstack/kafka-broker.properties is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private Path kafkaProperties() {
        return work.resolve("kafka.properties");
    }

    private static boolean logContains(Path log, String text) {
        try {
            return Files.exists(log) && Files.readString(log).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    private void awaitPort(int port, Process process, Duration timeout) throws IOException, InterruptedException {
        await(() -> {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        }, process, timeout, "port " + port);
    }

    private static void await(BooleanSupplier ready, Process process, Duration timeout, Object what)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new IOException(what + ": process exited with " + process.exitValue() + " during start-up");
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(what + " not ready within " + timeout);
            }
            Thread.sleep(200);
        }
    }
}
