package io.tideline.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ReturnType;

/**
 * A Lua script run by its SHA-1 ({@code EVALSHA}): the sinks run one script per record, and sending the body each
 * time would cost the client the encoding and Redis the hashing of the whole script on every call. A Redis that
 * restarted has forgotten its scripts; {@link #isMissing} recognises the answer and {@link #load} teaches it again.
 */
final class LuaScript {

    private final byte[] body;
    private final byte[] sha;

    private LuaScript(byte[] body) {
        this.body = body;
        this.sha = sha1Hex(body).getBytes(StandardCharsets.US_ASCII);
    }

    static LuaScript fromClasspath(String path) {
        try (var in = new ClassPathResource(path).getInputStream()) {
            return new LuaScript(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("missing " + path, e);
        }
    }

    void load(RedisConnection connection) {
        connection.scriptingCommands().scriptLoad(body);
    }

    /** Queues the call when {@code connection} is pipelining; the result then comes with the pipeline's. */
    Long run(RedisConnection connection, int numKeys, byte[]... keysAndArgs) {
        return connection.scriptingCommands().evalSha(sha, ReturnType.INTEGER, numKeys, keysAndArgs);
    }

    /** Whether {@code failure} (or a cause) is Redis answering that it does not know a script. */
    static boolean isMissing(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("NOSCRIPT")) {
                return true;
            }
        }
        return false;
    }

    private static String sha1Hex(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is a required JDK algorithm", e);
        }
    }
}
