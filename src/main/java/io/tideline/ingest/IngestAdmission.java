package io.tideline.ingest;

import java.util.concurrent.Semaphore;

/**
 * Admits at most a fixed number of ingest requests at once and turns the rest away at once (HTTP 429) instead of
 * letting them queue: with the body-size limit this bounds the memory ingest can take, and a client that is told
 * to come back later can spread its retries, where a queued one only times out.
 */
public final class IngestAdmission {

    /** Held for the duration of one request. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    private final Semaphore permits;
    private final int limit;

    public IngestAdmission(int limit) {
        this.permits = new Semaphore(limit);
        this.limit = limit;
    }

    public Permit enter() {
        if (!permits.tryAcquire()) {
            throw new TooManyRequestsException(limit);
        }
        return permits::release;
    }
}
