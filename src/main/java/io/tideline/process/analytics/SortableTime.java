package io.tideline.process.analytics;

/**
 * Times in state-store keys: 16 hex digits whose string order is time order (negative times included), so that a
 * time index is read by a range scan.
 */
final class SortableTime {

    static final int LENGTH = 16;

    private SortableTime() {
    }

    static String format(long time) {
        return String.format("%016x", time ^ Long.MIN_VALUE);
    }

    static long parse(String text) {
        return Long.parseUnsignedLong(text, 16) ^ Long.MIN_VALUE;
    }
}
