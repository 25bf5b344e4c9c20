package io.tideline.ingest;

import java.util.List;

import io.tideline.schema.FieldViolation;

/** One or more events of a request are invalid; none of the request's events was written (HTTP 400). */
public class InvalidEventsException extends RuntimeException {

    /** An invalid event: its position in the request, its id if it had one, and every reason. */
    public record Rejection(int index, String id, List<FieldViolation> errors) {
    }

    private final List<Rejection> rejections;

    public InvalidEventsException(List<Rejection> rejections) {
        super(rejections.size() + " invalid event(s)");
        this.rejections = List.copyOf(rejections);
    }

    public List<Rejection> rejections() {
        return rejections;
    }
}
