package io.tideline.ingest;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import io.tideline.schema.registry.PayloadSchemas;

/**
 * Maps ingest failures to RFC 9457 problem details: 400 names each bad event, field and reason; 413, 415 and 503
 * say what to change or when to retry.
 */
@RestControllerAdvice(assignableTypes = IngestController.class)
public class IngestExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(IngestExceptionHandler.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    @ExceptionHandler(InvalidEventsException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidEventsException e) {
        List<InvalidEventsException.Rejection> rejections = e.rejections();
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-events", "Invalid events",
                rejections.size() + " event(s) failed validation; no event of this request was accepted");
        problem.setProperty("rejected", rejections);
        return ResponseEntity.badRequest().body(problem);
    }

    @ExceptionHandler(MalformedRequestException.class)
    ResponseEntity<ProblemDetail> malformed(MalformedRequestException e) {
        return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request", e.getMessage()));
    }

    @ExceptionHandler(UnsupportedContentTypeException.class)
    ResponseEntity<ProblemDetail> unsupported(UnsupportedContentTypeException e) {
        return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .body(problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-content-type", "Unsupported content type", e.getMessage()));
    }

    @ExceptionHandler(PayloadTooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(PayloadTooLargeException e) {
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
                .header(HttpHeaders.CONNECTION, "close")
                .body(problem(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Payload too large", e.getMessage()));
    }

    @ExceptionHandler(TooManyRequestsException.class)
    ResponseEntity<ProblemDetail> tooMany(TooManyRequestsException e) {
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(RETRY_AFTER.toSeconds()))
                .body(problem(HttpStatus.TOO_MANY_REQUESTS, "too-many-requests", "Too many requests", e.getMessage()));
    }

    @ExceptionHandler(PublishFailedException.class)
    ResponseEntity<ProblemDetail> unavailable(PublishFailedException e) {
        log.warn("ingest unavailable: {}", e.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(RETRY_AFTER.toSeconds()))
                .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Kafka unavailable",
                        e.getMessage() + "; retry with the same event ids (they are deduplicated)"));
    }

    @ExceptionHandler(PayloadSchemas.SchemaUnavailableException.class)
    ResponseEntity<ProblemDetail> noSchema(PayloadSchemas.SchemaUnavailableException e) {
        log.warn("ingest cannot validate: {}", e.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(RETRY_AFTER.toSeconds()))
                .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "schema-unavailable", "Schema unavailable", e.getMessage()));
    }

    private static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("urn:tideline:problem:" + type));
        problem.setTitle(title);
        return problem;
    }
}
