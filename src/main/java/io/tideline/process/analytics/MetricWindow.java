package io.tideline.process.analytics;

import java.nio.ByteBuffer;
import java.util.List;

import io.tideline.definition.Aggregation;

/** One window of one group key as stored: its bounds, whether it has closed, and its running figures. */
final class MetricWindow {

    final String groupKey;
    final long start;
    final long end;
    boolean closed;
    final MetricState state;

    MetricWindow(String groupKey, long start, long end, boolean closed, MetricState state) {
        this.groupKey = groupKey;
        this.start = start;
        this.end = end;
        this.closed = closed;
        this.state = state;
    }

    byte[] encode() {
        byte[] s = state.encode();
        return ByteBuffer.allocate(17 + s.length).putLong(start).putLong(end).put((byte) (closed ? 1 : 0)).put(s).array();
    }

    static MetricWindow decode(String groupKey, byte[] bytes, List<Aggregation> aggregations) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        long start = buf.getLong();
        long end = buf.getLong();
        boolean closed = buf.get() == 1;
        return new MetricWindow(groupKey, start, end, closed, MetricState.decode(buf, aggregations));
    }
}
