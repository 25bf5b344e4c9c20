package io.tideline.ingest;

/** The request as a whole cannot be read (bad JSON, empty body, batch not an array, …): HTTP 400. */
public class MalformedRequestException extends RuntimeException {

    public MalformedRequestException(String message) {
        super(message);
    }
}
