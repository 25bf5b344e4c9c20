package io.tideline.ingest;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import io.tideline.model.EventEnvelope;
import io.tideline.observe.PipelineMetrics;
import jakarta.servlet.http.HttpServletRequest;

/**
 * {@code POST /v1/events}: validates every event of the request against its type's schema and, only if all are
 * valid, writes them to Kafka and answers 202 with their ids. See docs/api.md.
 */
@RestController
public class IngestController {

    /** The 202 body. */
    public record Accepted(int accepted, List<String> ids) {
    }

    private final HttpEventReader reader;
    private final EventValidator validator;
    private final EventPublisher publisher;
    private final PipelineMetrics metrics;
    private final Clock clock;
    private final long maxBodyBytes;
    private final IngestAdmission admission;

    public IngestController(HttpEventReader reader, EventValidator validator, EventPublisher publisher,
                            PipelineMetrics metrics, Clock clock, long maxBodyBytes, IngestAdmission admission) {
        this.reader = reader;
        this.validator = validator;
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = clock;
        this.maxBodyBytes = maxBodyBytes;
        this.admission = admission;
    }

    @PostMapping("/v1/events")
    public ResponseEntity<Accepted> ingest(HttpServletRequest request) throws IOException {
        try (IngestAdmission.Permit permit = admission.enter()) {
            return accept(request);
        }
    }

    private ResponseEntity<Accepted> accept(HttpServletRequest request) throws IOException {
        byte[] body = BoundedBody.read(request.getInputStream(), request.getContentLengthLong(), maxBodyBytes);
        List<IncomingEvent> incoming = reader.read(request.getContentType(), lowerCaseHeaders(request), body);
        Instant now = clock.instant();
        List<EventEnvelope> valid = new ArrayList<>(incoming.size());
        List<InvalidEventsException.Rejection> rejections = new ArrayList<>();
        for (int i = 0; i < incoming.size(); i++) {
            try {
                valid.add(validator.validate(incoming.get(i), now));
            } catch (InvalidEventException e) {
                rejections.add(new InvalidEventsException.Rejection(i, e.eventId(), e.violations()));
            }
        }
        if (!rejections.isEmpty()) {
            metrics.ingestEvents("rejected", incoming.size());
            throw new InvalidEventsException(rejections);
        }
        publisher.publish(valid);
        metrics.ingestEvents("accepted", valid.size());
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(new Accepted(valid.size(), valid.stream().map(EventEnvelope::getId).toList()));
    }

    private static Map<String, String> lowerCaseHeaders(HttpServletRequest request) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name.toLowerCase(Locale.ROOT), request.getHeader(name));
        }
        return headers;
    }
}
