package io.tideline.ingest;

/** More ingest requests are in flight than tideline.ingest.max-concurrent-requests allows (HTTP 429). */
public class TooManyRequestsException extends RuntimeException {

    public TooManyRequestsException(int limit) {
        super("more than " + limit + " ingest requests are in progress; retry after the Retry-After delay");
    }
}
