package io.tideline.process.analytics;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A time index inside a state store: keys {@code <letter>\0<SortableTime>\0...}, so that what is due by a time is a
 * range scan from the index's start. Windows to close and sequence deadlines are both kept this way.
 */
final class TimeIndex {

    private static final char SEP = '\0';

    private TimeIndex() {
    }

    static String key(char index, long time, String rest) {
        return index + "" + SEP + SortableTime.format(time) + SEP + rest;
    }

    /**
     * Adds the keys due at or before {@code time} to {@code due}; one scan, which stops at the first entry not due.
     * @return that entry's time ({@link Long#MAX_VALUE} if none): the next time anything falls due
     */
    static long scan(KeyValueStore<String, byte[]> store, char index, long time, List<String> due) {
        try (KeyValueIterator<String, byte[]> it = store.range(index + "" + SEP, index + "" + SEP + '\uffff')) {
            while (it.hasNext()) {
                String key = it.next().key;
                long at = SortableTime.parse(key.substring(2, 2 + SortableTime.LENGTH));
                if (at > time) {
                    return at;
                }
                due.add(key);
            }
        }
        return Long.MAX_VALUE;
    }

    /** The earliest time in the index ({@link Long#MAX_VALUE} if empty). */
    static long first(KeyValueStore<String, byte[]> store, char index) {
        return scan(store, index, Long.MIN_VALUE, new ArrayList<>());
    }
}
