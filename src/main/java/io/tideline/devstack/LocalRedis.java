package io.tideline.devstack;

import java.nio.file.Path;
import java.time.Duration;

import io.tideline.config.CommandLineArgs;
import redis.clients.jedis.Jedis;
import redis.embedded.RedisServer;

/** Runs a real Redis (binary from Maven Central) for the demo: {@code --port}, {@code --pid-file}. */
public final class LocalRedis {

    private LocalRedis() {
    }

    public static void main(String[] args) throws Exception {
        int port = CommandLineArgs.intValue(args, "--port", 16379);
        Path pidFile = Path.of(CommandLineArgs.value(args, "--pid-file", ".tideline/run/redis.server.pid"));
        LocalServer.awaitPortFree(port, Duration.ofSeconds(30));
        RedisServer redis = RedisServer.newRedisServer()
                .port(port)
                .bind("127.0.0.1")
                .setting("save \"\"")
                .setting("appendonly no")
                .build();
        redis.start();
        LocalServer.holdUntilStopped("redis on 127.0.0.1:" + port, pidOf(port), pidFile, redis::stop);
    }

    /** The server's own PID, from INFO: the embedded library does not expose it. */
    static long pidOf(int port) {
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            for (String line : jedis.info("server").split("\r?\n")) {
                if (line.startsWith("process_id:")) {
                    return Long.parseLong(line.substring("process_id:".length()).trim());
                }
            }
        }
        throw new IllegalStateException("redis did not report its process_id");
    }

}
