package io.tideline.definition;

import java.time.Duration;

/**
 * An event-time window: {@code tumbling} (size), {@code hopping} (size, advance), {@code sliding} (size: each event
 * closes the window of the events within size before it), {@code session} (gap of inactivity). Every kind has a
 * grace: how late an event may arrive and still be counted.
 */
public record WindowSpec(Kind kind, Duration size, Duration advance, Duration gap, Duration grace) {

    public enum Kind {
        TUMBLING, HOPPING, SLIDING, SESSION
    }

    public static WindowSpec tumbling(Duration size, Duration grace) {
        return new WindowSpec(Kind.TUMBLING, size, size, null, grace);
    }

    public static WindowSpec hopping(Duration size, Duration advance, Duration grace) {
        return new WindowSpec(Kind.HOPPING, size, advance, null, grace);
    }

    public static WindowSpec sliding(Duration size, Duration grace) {
        return new WindowSpec(Kind.SLIDING, size, null, null, grace);
    }

    public static WindowSpec session(Duration gap, Duration grace) {
        return new WindowSpec(Kind.SESSION, null, null, gap, grace);
    }

    /** How long a window's state must be kept after its start: its longest possible span plus the grace. */
    public Duration retention() {
        return (kind == Kind.SESSION ? gap : size).plus(grace);
    }
}
