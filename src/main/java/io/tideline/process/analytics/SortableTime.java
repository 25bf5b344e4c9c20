package io.tideline.process.analytics;

/**
 * Times in state-store keys: 16 hex digits whose string order is time order (negative times included), so that a
 * time index is read by a range scan.
 */
final class SortableTime {

    static final int LENGTH = 16;

    private SortableTime() {
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** By hand: String.format was 5 % of the stream thread's time with the demo definition (profiled). */
    static String format(long time) {
        long v = time ^ Long.MIN_VALUE;
        char[] out = new char[LENGTH];
        for (int i = LENGTH - 1; i >= 0; i--) {
            out[i] = HEX[(int) (v & 0xf)];
            v >>>= 4;
        }
        return new String(out);
    }

    static long parse(String text) {
        return Long.parseUnsignedLong(text, 16) ^ Long.MIN_VALUE;
    }
}
