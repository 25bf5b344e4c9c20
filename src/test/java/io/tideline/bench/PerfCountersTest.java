package io.tideline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PerfCountersTest {

    /** A perf data file as HotSpot lays it out: prologue, then entries of {length, name, vector length, type, data}. */
    private static ByteBuffer perfData(ByteOrder order, Object... namesAndValues) {
        ByteBuffer b = ByteBuffer.allocate(4096);
        b.order(ByteOrder.BIG_ENDIAN).putInt(0, 0xcafec0c0);
        b.put(4, (byte) (order == ByteOrder.BIG_ENDIAN ? 0 : 1));
        b.order(order);
        b.putInt(24, 32);
        b.putInt(28, namesAndValues.length / 2);
        int entry = 32;
        for (int i = 0; i < namesAndValues.length; i += 2) {
            byte[] name = (namesAndValues[i] + "\0").getBytes(StandardCharsets.US_ASCII);
            boolean scalar = namesAndValues[i + 1] instanceof Long;
            int nameOffset = 20;
            int dataOffset = (nameOffset + name.length + 7) / 8 * 8;
            int length = dataOffset + 8;
            b.putInt(entry, length);
            b.putInt(entry + 4, nameOffset);
            b.putInt(entry + 8, scalar ? 0 : 8);
            b.put(entry + 12, (byte) (scalar ? 'J' : 'B'));
            b.putInt(entry + 16, dataOffset);
            b.put(entry + nameOffset, name);
            if (scalar) {
                b.putLong(entry + dataOffset, (Long) namesAndValues[i + 1]);
            }
            entry += length;
        }
        return b;
    }

    @Test
    void findsTheLongCountersByNameInEitherByteOrder() {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            ByteBuffer data = perfData(order, "sun.gc.generation.0.space.0.used", 7_000L, "java.property.java.version", "17",
                    "sun.gc.generation.1.space.0.used", 40_000L);
            Map<String, Integer> offsets = PerfCounters.parse(data);
            assertThat(offsets).containsOnlyKeys("sun.gc.generation.0.space.0.used", "sun.gc.generation.1.space.0.used");
            assertThat(data.getLong(offsets.get("sun.gc.generation.1.space.0.used"))).isEqualTo(40_000L);
        }
    }

    @Test
    void refusesWhatIsNotAPerfDataFile() {
        assertThat(PerfCounters.parse(ByteBuffer.wrap("not a perf data file, just text....".getBytes(StandardCharsets.US_ASCII))))
                .isNull();
    }

    @Test
    void readsTheHeapOfARunningJvmWithoutAskingIt() {
        PerfCounters self = PerfCounters.of(ProcessHandle.current().pid()).orElseThrow();
        long used = self.heapUsed().orElseThrow();
        long committed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
        assertThat(used).isPositive().isLessThanOrEqualTo(Runtime.getRuntime().maxMemory());
        assertThat(committed).isPositive();
        assertThat(self.value("sun.os.hrt.frequency")).hasValueSatisfying(f -> assertThat(f).isPositive());
        assertThat(self.value("no.such.counter")).isEmpty();
    }
}
