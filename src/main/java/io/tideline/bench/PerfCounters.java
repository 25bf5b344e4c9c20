package io.tideline.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A HotSpot JVM's performance counters, read from the memory-mapped file it keeps for {@code jstat}
 * ({@code <tmp>/hsperfdata_<user>/<pid>}). Reading them runs no code in the observed JVM: a bench that asked the
 * process itself every second (its actuator over HTTP) kept its JIT compiling that path for minutes, inside the
 * window it measured. Layout as written by HotSpot's {@code perfMemory}: a prologue (magic, byte order, entry
 * offset and count), then entries each naming a counter and where its value lies.
 */
final class PerfCounters {

    private static final int MAGIC = 0xcafec0c0;
    private static final byte LONG = 'J';

    private static final Pattern HEAP_SPACE_USED = Pattern.compile("sun\\.gc\\.generation\\.\\d+\\.space\\.\\d+\\.used");

    private final MappedByteBuffer data;
    private final Map<String, Integer> longOffsets;
    /** Where the heap spaces' {@code used} counters lie: the set of spaces is fixed when the JVM starts. */
    private final int[] heapSpaceOffsets;

    private PerfCounters(MappedByteBuffer data, Map<String, Integer> longOffsets) {
        this.data = data;
        this.longOffsets = longOffsets;
        this.heapSpaceOffsets = longOffsets.entrySet().stream().filter(e -> HEAP_SPACE_USED.matcher(e.getKey()).matches())
                .mapToInt(Map.Entry::getValue).toArray();
    }

    /** The counters of process {@code pid}, if it is a HotSpot JVM of this user that publishes them. */
    static Optional<PerfCounters> of(long pid) {
        // HotSpot writes under the system's temporary directory (/tmp on Linux), whatever java.io.tmpdir says.
        Path file = java.util.stream.Stream.of(System.getProperty("java.io.tmpdir"), "/tmp")
                .map(dir -> Path.of(dir, "hsperfdata_" + System.getProperty("user.name"), Long.toString(pid)))
                .filter(Files::isRegularFile).findFirst().orElse(null);
        if (file == null) {
            return Optional.empty();
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MappedByteBuffer data = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            return Optional.ofNullable(parse(data)).map(offsets -> new PerfCounters(data, offsets));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Offsets of the scalar long counters by name, or null if the file is not a perf data file. */
    static Map<String, Integer> parse(ByteBuffer data) {
        if (data.capacity() < 32 || data.order(ByteOrder.BIG_ENDIAN).getInt(0) != MAGIC) {
            return null;
        }
        data.order(data.get(4) == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int entry = data.getInt(24);
        int entries = data.getInt(28);
        Map<String, Integer> offsets = new HashMap<>();
        for (int i = 0; i < entries && entry > 0 && entry < data.capacity(); i++) {
            int length = data.getInt(entry);
            int nameOffset = data.getInt(entry + 4);
            int vectorLength = data.getInt(entry + 8);
            byte type = data.get(entry + 12);
            int dataOffset = data.getInt(entry + 16);
            if (vectorLength == 0 && type == LONG) {
                offsets.put(name(data, entry + nameOffset), entry + dataOffset);
            }
            if (length <= 0) {
                break;
            }
            entry += length;
        }
        return offsets;
    }

    private static String name(ByteBuffer data, int at) {
        int end = at;
        while (end < data.capacity() && data.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - at];
        data.get(at, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    /** The current value of a long counter, or empty if the JVM has none of that name. */
    Optional<Long> value(String name) {
        Integer offset = longOffsets.get(name);
        return offset == null ? Optional.empty() : Optional.of(data.getLong(offset));
    }

    /**
     * Bytes in use across the heap's spaces (eden, survivors, old), as {@code jstat -gc} adds them up; the
     * metaspace and code cache are not among them. Empty if the JVM publishes no heap spaces.
     */
    Optional<Long> heapUsed() {
        if (heapSpaceOffsets.length == 0) {
            return Optional.empty();
        }
        long used = 0;
        for (int offset : heapSpaceOffsets) {
            used += data.getLong(offset);
        }
        return Optional.of(used);
    }
}
