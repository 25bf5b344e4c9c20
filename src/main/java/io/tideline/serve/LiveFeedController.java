package io.tideline.serve;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** {@code GET /v1/stream}: the dashboard's Server-Sent Events feed (events: hello, snapshot, aggregates, alert). */
@RestController
public class LiveFeedController {

    private final LiveFeed feed;

    public LiveFeedController(LiveFeed feed) {
        this.feed = feed;
    }

    @GetMapping(path = "/v1/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter stream() {
        return feed.subscribe();
    }
}
