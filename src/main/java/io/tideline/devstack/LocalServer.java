package io.tideline.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
