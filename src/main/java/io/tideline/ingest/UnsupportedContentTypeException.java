package io.tideline.ingest;

/** The request's content type is not one of the CloudEvents bindings (HTTP 415). */
public class UnsupportedContentTypeException extends RuntimeException {

    public UnsupportedContentTypeException(String contentType) {
        super("content type " + (contentType == null ? "(none)" : "\"" + contentType + "\"") + " is not supported; use "
                + MediaTypes.CLOUDEVENTS_JSON + ", " + MediaTypes.CLOUDEVENTS_BATCH_JSON
                + " or " + MediaTypes.JSON + " with ce-* headers (binary mode)");
    }
}
