package io.tideline.ingest;

/** The request body is over the configured limit (HTTP 413). */
public class PayloadTooLargeException extends RuntimeException {

    public PayloadTooLargeException(long limit) {
        super("the request body is larger than " + limit + " bytes (tideline.ingest.max-body-size)");
    }
}
