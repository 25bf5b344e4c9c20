package io.tideline.serve;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.tideline.process.DeadLetterQueue;

/** {@code /v1/dlq}: list dead letters with their reasons, and re-drive chosen ones after a fix. See docs/api.md. */
@RestController
public class DeadLetterController {

    /** The re-drive request body. */
    public record RedriveRequest(List<DeadLetterQueue.Position> records) {
    }

    private final DeadLetterQueue deadLetters;

    public DeadLetterController(DeadLetterQueue deadLetters) {
        this.deadLetters = deadLetters;
    }

    @GetMapping("/v1/dlq")
    public ResponseEntity<?> list(@RequestParam(defaultValue = "50") int limit) {
        if (limit < 1 || limit > 1000) {
            return ResponseEntity.badRequest().body(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    "limit: must be between 1 and 1000, got " + limit));
        }
        return ResponseEntity.ok(deadLetters.list(limit));
    }

    @PostMapping("/v1/dlq/redrive")
    public ResponseEntity<?> redrive(@RequestBody RedriveRequest request) {
        if (request.records() == null || request.records().isEmpty()) {
            return ResponseEntity.badRequest().body(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    "records: give at least one {\"partition\": P, \"offset\": O}"));
        }
        DeadLetterQueue.RedriveResult result = deadLetters.redrive(request.records());
        return ResponseEntity.status(result.redriven().isEmpty() ? HttpStatus.CONFLICT : HttpStatus.OK).body(result);
    }
}
