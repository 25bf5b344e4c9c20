package io.tideline.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.tideline.config.CommandLineArgs;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Runs a real PostgreSQL 17 (binaries from Maven Central) for the demo: {@code --port}, {@code --data-dir},
 * {@code --pid-file}. Data survive restarts, so a demo can be stopped and resumed.
 */
public final class LocalPostgres {

    private LocalPostgres() {
    }

    public static void main(String[] args) throws Exception {
        int port = CommandLineArgs.intValue(args, "--port", 15432);
        Path dataDir = Path.of(CommandLineArgs.value(args, "--data-dir", ".tideline/data/postgres")).toAbsolutePath();
        Path pidFile = Path.of(CommandLineArgs.value(args, "--pid-file", ".tideline/run/postgres.server.pid"));
        Files.createDirectories(dataDir.getParent());
        LocalServer.awaitPortFree(port, Duration.ofSeconds(30));
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "100")
                // The library starts PostgreSQL with fsync and synchronous_commit off (made for throwaway test
                // databases); this one holds the demo's history and is what the benchmark measures, so both on.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .start();
        long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
        LocalServer.holdUntilStopped("postgres on 127.0.0.1:" + port, pid, pidFile, postgres::close);
    }
}
