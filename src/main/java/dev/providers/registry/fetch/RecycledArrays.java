package dev.providers.registry.fetch;

import java.util.ArrayDeque;

/**
 * The arrays of released fetch buffers, kept for the next buffers of the same length. A wheel body passes through
 * two buffers per network read (the socket read, then the decrypted records), each as large as the read: unpooled,
 * a 64 MiB wheel left twice its size in arrays to the garbage collector, three collections of the native
 * executable's young generation in a fresh instance's first publish, over memory touched for the first time
 * (bench/README.md, issue 11 seventh pass). Reused, the arrays of one body stay the few dozen that are in flight at once.
 *
 * <p>Lengths from {@link #MIN_LENGTH} to {@link #MAX_LENGTH} are rounded up to a power of two ({@link #lengthFor}) so
 * that released arrays fit the next requests; other lengths are neither rounded nor kept. At most {@code maxBytes}
 * are kept in all. Thread-safe: an array comes back on the thread that releases its buffer last (an event loop, or
 * the hashing pool for a body's chunks) and is taken on an event loop.
 */
final class RecycledArrays {

    static final int MIN_LENGTH = 1024;
    static final int MAX_LENGTH = 128 * 1024;
    private static final int MIN_SHIFT = Integer.numberOfTrailingZeros(MIN_LENGTH);
    private static final int MAX_SHIFT = Integer.numberOfTrailingZeros(MAX_LENGTH);

    private final long maxBytes;
    private final ArrayDeque<byte[]>[] free;
    private long keptBytes;

    @SuppressWarnings("unchecked")
    RecycledArrays(long maxBytes) {
        this.maxBytes = maxBytes;
        this.free = new ArrayDeque[MAX_SHIFT - MIN_SHIFT + 1];
        for (int i = 0; i < free.length; i++) {
            free[i] = new ArrayDeque<>();
        }
    }

    /** The length to allocate for a request of {@code requested} bytes: a kept length when it is in range. */
    static int lengthFor(int requested) {
        return requested < MIN_LENGTH || requested > MAX_LENGTH ? requested : Integer.highestOneBit(requested - 1) << 1;
    }

    /** A kept array of exactly {@code length} bytes (its content is stale), or null. */
    synchronized byte[] take(int length) {
        int sizeClass = sizeClass(length);
        if (sizeClass < 0) {
            return null;
        }
        byte[] array = free[sizeClass].pollLast();
        if (array != null) {
            keptBytes -= array.length;
        }
        return array;
    }

    /** Keeps {@code array} for a next buffer, unless its length is not kept or the bound is reached. */
    synchronized void give(byte[] array) {
        int sizeClass = sizeClass(array.length);
        if (sizeClass >= 0 && keptBytes + array.length <= maxBytes) {
            free[sizeClass].addLast(array);
            keptBytes += array.length;
        }
    }

    synchronized long keptBytes() {
        return keptBytes;
    }

    private static int sizeClass(int length) {
        if (Integer.bitCount(length) != 1) {
            return -1;
        }
        int shift = Integer.numberOfTrailingZeros(length);
        return shift < MIN_SHIFT || shift > MAX_SHIFT ? -1 : shift - MIN_SHIFT;
    }
}
