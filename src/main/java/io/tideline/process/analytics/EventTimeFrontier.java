package io.tideline.process.analytics;

import java.time.Duration;

/**
 * How far event time has got in one task: the newest event time seen (stream time), carried forward by the wall
 * clock for as long as no newer event arrives. Kafka Streams advances stream time only on new records, so without
 * the carry a window whose keys — or whose whole partition — went quiet would never close, and a dashboard would
 * wait forever for its final value. While events flow, the carry is the few milliseconds since the last one.
 * <p>Replays stay correct: a backlog is read fast, so the carry between its records is small and old events are
 * judged against their own stream time, not against today.
 */
final class EventTimeFrontier {

    private final long maxClockSkew;
    private long streamTime = Long.MIN_VALUE;
    private long wallClockAtAdvance;

    /**
     * @param maxClockSkew how far ahead of the wall clock an event time may be and still move the frontier: a producer
     *                     whose clock runs hours ahead must not close every window of its task (its event still counts,
     *                     in its own window)
     */
    EventTimeFrontier(Duration maxClockSkew) {
        this.maxClockSkew = maxClockSkew.toMillis();
    }

    /** Starts from a stream time restored from the task's store ({@link Long#MIN_VALUE}: none yet). */
    void restore(long streamTime, long now) {
        this.streamTime = streamTime;
        this.wallClockAtAdvance = now;
    }

    /** @return whether stream time advanced */
    boolean observe(long eventTime, long now) {
        if (eventTime > streamTime && eventTime <= now + maxClockSkew) {
            streamTime = eventTime;
            wallClockAtAdvance = now;
            return true;
        }
        return false;
    }

    long streamTime() {
        return streamTime;
    }

    /** Event time as of the wall-clock instant {@code now}: stream time plus the quiet time since it last advanced. */
    long at(long now) {
        if (streamTime == Long.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        return streamTime + Math.max(0, now - wallClockAtAdvance);
    }
}
