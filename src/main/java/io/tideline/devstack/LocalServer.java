package io.tideline.devstack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * What the local PostgreSQL and Redis launchers share: record the server's own PID (so the launcher can stop
 * it by PID even if this JVM dies, and wait for it to be gone), then hold until told to stop, stopping the server
 * on the way out.
 */
final class LocalServer {

    private LocalServer() {
    }

    interface Stoppable {
        void stop() throws Exception;
    }

    /**
     * Waits until nothing listens on the port any more: a server from an earlier run may still be shutting down,
     * and a new one would then fail to bind while its start-up check, seeing the old one answer, succeeds.
     */
    static void awaitPortFree(int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
            } catch (IOException free) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("port " + port + " is still in use after " + timeout.toSeconds()
                        + " s: another server listens there");
            }
            Thread.sleep(100); // polling a port another process releases: there is nothing to wait on
        }
    }

    static void holdUntilStopped(String name, long serverPid, Path pidFile, Stoppable server) throws IOException, InterruptedException {
        Files.createDirectories(pidFile.toAbsolutePath().getParent());
        Files.writeString(pidFile, serverPid + System.lineSeparator());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.stop();
                // The PID file stays: the launcher removes it once it has seen the server process gone.
                System.out.println(name + " stopped");
            } catch (Exception e) {
                System.err.println("could not stop " + name + ": " + e);
            } finally {
                stopped.countDown();
            }
        }, name + "-stop"));
        System.out.println(name + " ready (server pid " + serverPid + ")");
        stopped.await();
    }
}
