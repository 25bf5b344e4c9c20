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
 * A Lua script of the read model, called by its SHA-1 ({@code EVALSHA}): a call sends the 40-byte digest rather than
 * the script, and Redis skips hashing it again. A Redis that lost its script cache (a restart) answers NOSCRIPT; the
 * sink's batch then fails like any store failure, and the retry loads the scripts first ({@link #load}).
 */
final class LuaScript {

    private final byte[] body;
    private final String sha;

    LuaScript(String classpathResource) {
        try (var in = new ClassPathResource(classpathResource).getInputStream()) {
            this.body = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("missing " + classpathResource, e);
        }
        try {
            this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-1", e);
        }
    }

    void load(RedisConnection connection) {
        String loaded = connection.scriptingCommands().scriptLoad(body);
        if (!sha.equals(loaded)) {
            throw new IllegalStateException("Redis digested a script as " + loaded + ", expected " + sha);
        }
    }

    /** For a script that returns a number. */
    void call(RedisConnection connection, int numKeys, byte[][] keysAndArgs) {
        evalSha(connection, ReturnType.INTEGER, numKeys, keysAndArgs);
    }

    /** For a script that returns an array (of numbers). */
    void callForList(RedisConnection connection, int numKeys, byte[][] keysAndArgs) {
        evalSha(connection, ReturnType.MULTI, numKeys, keysAndArgs);
    }

    private void evalSha(RedisConnection connection, ReturnType returns, int numKeys, byte[][] keysAndArgs) {
        connection.scriptingCommands().evalSha(sha.getBytes(StandardCharsets.US_ASCII), returns, numKeys, keysAndArgs);
    }
}
