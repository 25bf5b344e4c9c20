package io.tideline.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import redis.embedded.RedisServer;

/**
 * The real servers the integration tests run against: a KRaft Kafka broker in this JVM, and PostgreSQL 17 and
 * Redis as child processes (binaries from Maven Central). Started once per test run, closed at its end.
 */
public final class TestServers implements AutoCloseable {

    private static volatile TestServers current;

    private final EmbeddedKafkaKraftBroker kafka;
    private final EmbeddedPostgres postgres;
    private RedisServer redis;
    private final int redisPort;

    private TestServers() throws IOException {
        kafka = new EmbeddedKafkaKraftBroker(1, 6);
        kafka.brokerProperties(Map.of(
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "offsets.topic.replication.factor", "1",
                "group.initial.rebalance.delay.ms", "0",
                "auto.create.topics.enable", "false"));
        kafka.afterPropertiesSet();
        postgres = EmbeddedPostgres.builder().start();
        redisPort = freePort();
        redis = startRedis(redisPort);
    }

    static synchronized TestServers start() {
        if (current == null) {
            try {
                current = new TestServers();
            } catch (IOException e) {
                throw new IllegalStateException("could not start the test servers", e);
            }
        }
        return current;
    }

    public static TestServers current() {
        TestServers servers = current;
        if (servers == null) {
            throw new IllegalStateException("TestServers not started: annotate the test with @EndToEndTest");
        }
        return servers;
    }

    public String kafkaBootstrap() {
        return kafka.getBrokersAsString();
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    public int redisPort() {
        return redisPort;
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            redis.stop();
        } finally {
            try {
                postgres.close();
            } finally {
                kafka.destroy();
                current = null;
            }
        }
    }

    /** Stops Redis; its (unpersisted) data are gone, as after a crash of a cache-only Redis. */
    public synchronized void stopRedis() throws IOException {
        redis.stop();
    }

    /** Starts an empty Redis on the same port. */
    public synchronized void startRedis() throws IOException {
        redis = startRedis(redisPort);
    }

    private static RedisServer startRedis(int port) throws IOException {
        RedisServer server = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                .setting("save \"\"").setting("appendonly no").build();
        server.start();
        return server;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
