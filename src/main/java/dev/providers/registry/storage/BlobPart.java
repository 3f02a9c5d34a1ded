package dev.providers.registry.storage;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of one part of a {@link PartedBlobWrite}, held as the buffers they were written in (slices of them at a
 * part's boundaries), in order, without copying them into one array: a part of 8 MiB built by appending to a
 * growing buffer costs a dozen copies and, at the end, one array that the JVM's heap can only place as a humongous
 * object; under a small heap that is what ran out of memory. Pieces smaller than {@link #SMALL} (a client that sends
 * its body in tiny network reads) are copied into a shared piece instead, so that the bookkeeping per piece stays
 * small beside the bytes it holds.
 */
final class BlobPart {

    /** Pieces below this size are copied together rather than kept one by one. */
    static final int SMALL = 4096;

    /** The capacity of the piece that small pieces are copied into. */
    static final int COALESCED = 32 * 1024;

    private final List<Buffer> pieces;
    private final int length;

    private BlobPart(List<Buffer> pieces, int length) {
        this.pieces = pieces;
        this.length = length;
    }

    static BlobPart empty() {
        return new BlobPart(List.of(), 0);
    }

    /** Bytes in the part. */
    int length() {
        return length;
    }

    /** The pieces, in order (views: not to be modified). */
    List<Buffer> pieces() {
        return pieces;
    }

    /** The pieces as NIO buffers over the same memory, each positioned at its first byte. */
    @SuppressWarnings("deprecation") // Buffer.getByteBuf: the zero-copy view (see WheelStreamVerifier#accept)
    ByteBuffer[] nioBuffers() {
        ByteBuffer[] out = new ByteBuffer[pieces.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = pieces.get(i).getByteBuf().nioBuffer();
        }
        return out;
    }

    /** The part as one {@code Buffer}: a composite view over the pieces, no copy. */
    @SuppressWarnings("deprecation") // Buffer.getByteBuf: the zero-copy view
    Buffer asBuffer() {
        if (pieces.size() == 1) {
            return pieces.get(0);
        }
        CompositeByteBuf composite = Unpooled.compositeBuffer(Math.max(pieces.size(), 2));
        for (Buffer piece : pieces) {
            ByteBuf view = piece.getByteBuf();
            composite.addComponent(true, view);
        }
        return Buffer.buffer(composite);
    }

    /** A part being filled. Not thread-safe (its {@link PartedBlobWrite} holds its lock). */
    static final class Builder {

        private final int capacity;
        private final List<Buffer> pieces = new ArrayList<>();
        private int length;
        /** Where small pieces are copied to: the last element of {@link #pieces} while it has room, else null. */
        private Buffer coalescing;

        private int coalescingCapacity;

        /** @param capacity the part's size: no more is ever added */
        Builder(int capacity) {
            this.capacity = capacity;
        }

        int length() {
            return length;
        }

        int room() {
            return capacity - length;
        }

        /**
         * Adds {@code data[from, from + count)}, which must fit ({@code count <= room()}): kept as a slice of
         * {@code data} (which the caller must not modify afterwards), or copied when it is small.
         */
        void add(Buffer data, int from, int count) {
            if (count <= 0) {
                return;
            }
            if (count < SMALL) {
                copySmall(data, from, count);
            } else {
                seal();
                pieces.add(from == 0 && count == data.length() ? data : data.slice(from, from + count));
            }
            length += count;
        }

        /** The full part (or the last, shorter one). */
        BlobPart build() {
            seal();
            return new BlobPart(pieces, length);
        }

        private void copySmall(Buffer data, int from, int count) {
            int at = from;
            int left = count;
            while (left > 0) {
                if (coalescing == null || coalescing.length() == coalescingCapacity) {
                    seal();
                    // Bytes left in the part beyond those of this piece already placed: never more than the part.
                    coalescingCapacity = Math.min(COALESCED, capacity - length - (at - from));
                    coalescing = Buffer.buffer(coalescingCapacity);
                    pieces.add(coalescing);
                }
                int take = Math.min(left, coalescingCapacity - coalescing.length());
                coalescing.appendBuffer(data, at, take);
                at += take;
                left -= take;
            }
        }

        /**
         * Ends the piece small ones are copied into; trimmed to its bytes when it is mostly empty (small and big
         * pieces alternating would otherwise hold a mostly unused capacity each).
         */
        private void seal() {
            if (coalescing == null) {
                return;
            }
            if (coalescing.length() < coalescingCapacity / 2) {
                pieces.set(pieces.size() - 1, coalescing.copy());
            }
            coalescing = null;
        }
    }
}
