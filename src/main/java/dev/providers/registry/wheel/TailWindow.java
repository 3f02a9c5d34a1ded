package dev.providers.registry.wheel;

import java.nio.ByteBuffer;

/**
 * Bounded ring buffer keeping the last {@code capacity} bytes of a stream, addressed by absolute
 * stream offsets.
 *
 * <p>The backing array grows lazily: it starts at {@code min(initialCapacity, capacity)} and doubles
 * (never beyond {@code capacity}) only when the bytes seen so far would not fit; the ring wraps only
 * once it has reached {@code capacity}. A 100 KiB stream therefore allocates at most 128 KiB whatever
 * the capacity.
 *
 * <p>All reads take absolute offsets and throw {@link IndexOutOfBoundsException} when the requested
 * range is not retained; callers are expected to check {@link #contains} first. Not thread-safe.
 */
final class TailWindow {

    static final int DEFAULT_INITIAL_CAPACITY = 64 * 1024;

    private final int capacity;
    private byte[] ring;
    /** Index in {@link #ring} where the next byte goes. */
    private int head;
    /** Bytes written since creation (skipped ones included). */
    private long total;
    /** Leading bytes that were only counted ({@link #skip}), never stored: they precede every retained byte. */
    private long skipped;
    /** Retained size that {@link #reserve} asked room for: allocated by the next stored byte. */
    private long reserved;

    TailWindow(int capacity) {
        this(capacity, DEFAULT_INITIAL_CAPACITY);
    }

    TailWindow(int capacity, int initialCapacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        if (initialCapacity <= 0) {
            throw new IllegalArgumentException("initialCapacity must be positive: " + initialCapacity);
        }
        this.capacity = capacity;
        this.ring = new byte[Math.min(initialCapacity, capacity)];
    }

    /** Maximum number of bytes retained. */
    int capacity() {
        return capacity;
    }

    /** Size of the currently allocated backing array (for tests and metrics). */
    int allocated() {
        return ring.length;
    }

    /** Total number of bytes written; also the absolute offset one past the last retained byte. */
    long total() {
        return total;
    }

    /** Number of bytes currently retained. */
    int retained() {
        return (int) Math.min(total - skipped, ring.length);
    }

    /**
     * Counts {@code len} leading bytes of the stream without storing them: for bytes that can never be part of the
     * window because the stream's length is known and they lie before its last {@link #capacity} bytes. Only valid
     * while nothing is retained yet.
     */
    void skip(long len) {
        if (len < 0 || total != skipped) {
            throw new IllegalStateException("skip() is only valid before any byte was stored");
        }
        skipped += len;
        total += len;
    }

    /**
     * Makes room (up to capacity) for {@code incoming} more bytes in one allocation instead of doublings, made by the
     * next stored byte: a large stream's leading bytes are skipped ({@link #skip}), and an array allocated at its
     * start would live through the whole transfer (and be copied by each young collection meanwhile) to hold only its
     * last bytes.
     */
    void reserve(long incoming) {
        if (incoming > 0) {
            reserved = Math.max(reserved, (total - skipped) + Math.min(incoming, capacity));
        }
    }

    /** Absolute offset of the oldest retained byte. */
    long start() {
        return total - retained();
    }

    /** Whether {@code [offset, offset + length)} is entirely retained. Overflow-safe. */
    boolean contains(long offset, long length) {
        return offset >= start() && length >= 0 && offset <= total && length <= total - offset;
    }

    void write(byte[] b, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return;
        }
        ensureRoom(len);
        if (len > ring.length) { // only the last ring.length bytes can survive
            off += len - ring.length;
            total += len - ring.length;
            len = ring.length;
        }
        int first = Math.min(len, ring.length - head);
        System.arraycopy(b, off, ring, head, first);
        System.arraycopy(b, off + first, ring, 0, len - first);
        advance(len);
    }

    /** Copies the remaining bytes of {@code src} into the window; consumes {@code src}. */
    void write(ByteBuffer src) {
        int len = src.remaining();
        if (len == 0) {
            return;
        }
        ensureRoom(len);
        if (len > ring.length) {
            src.position(src.position() + (len - ring.length));
            total += len - ring.length;
            len = ring.length;
        }
        int first = Math.min(len, ring.length - head);
        src.get(ring, head, first);
        src.get(ring, 0, len - first);
        advance(len);
    }

    private void advance(int len) {
        head = (head + len) % ring.length;
        total += len;
    }

    /** Grows the backing array (up to capacity) so that all bytes seen plus {@code incoming} fit. */
    private void ensureRoom(int incoming) {
        if (ring.length == capacity) {
            return;
        }
        long needed = Math.max((total - skipped) + incoming, reserved);
        reserved = 0;
        if (needed <= ring.length) {
            return;
        }
        long newLength = ring.length;
        while (newLength < needed && newLength < capacity) {
            newLength *= 2;
        }
        newLength = Math.min(newLength, capacity);
        byte[] grown = new byte[(int) newLength];
        int kept = retained();
        copy(start(), grown, 0, kept);
        ring = grown;
        head = kept % ring.length;
    }

    int u8(long offset) {
        return ring[index(offset, 1)] & 0xFF;
    }

    int u16(long offset) {
        return u8(offset) | (u8(offset + 1) << 8);
    }

    long u32(long offset) {
        return (u16(offset) & 0xFFFFL) | ((long) u16(offset + 2) << 16);
    }

    /** Little-endian 64-bit value; values above {@link Long#MAX_VALUE} come back negative. */
    long u64(long offset) {
        return u32(offset) | (u32(offset + 4) << 32);
    }

    /** Copies {@code [offset, offset + len)} into {@code dst}. */
    void copy(long offset, byte[] dst, int dstOff, int len) {
        java.util.Objects.checkFromIndexSize(dstOff, len, dst.length);
        if (len == 0) {
            return;
        }
        int i = index(offset, len);
        int first = Math.min(len, ring.length - i);
        System.arraycopy(ring, i, dst, dstOff, first);
        System.arraycopy(ring, 0, dst, dstOff + first, len - first);
    }

    private int index(long offset, int len) {
        if (!contains(offset, len)) {
            throw new IndexOutOfBoundsException("range [" + offset + ", +" + len + ") is outside the retained window ["
                    + start() + ", " + total + ")");
        }
        long back = total - offset; // 1..retained
        long i = head - back;
        if (i < 0) {
            i += ring.length;
        }
        return (int) i;
    }
}
