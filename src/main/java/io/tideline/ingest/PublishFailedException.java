package io.tideline.ingest;

/** Kafka did not take the events (broker down, timeout, buffer full): HTTP 503, safe to retry. */
public class PublishFailedException extends RuntimeException {

    public PublishFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
