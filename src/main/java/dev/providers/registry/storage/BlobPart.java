package dev.providers.registry.storage;

import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The bytes of one part of a {@link PartedBlobWrite}, in blocks of {@link PartBlocks} (reused heap arrays): the
 * written buffers are copied once into them, never into a buffer that grows (a part built by appending to a growing
 * buffer cost a dozen copies and, at the end, an array that the heap could only place as a humongous object; under
 * {@code -Xmx64m} that ran out of memory). The stores read the blocks through views ({@link #nioBuffers},
 * {@link #asBuffer}) without copying them. {@link #release} returns the blocks once the part is stored or dropped.
 */
final class BlobPart {

    private final PartBlocks pool;
    private final List<byte[]> blocks;
    private final int length;
    private final AtomicBoolean released = new AtomicBoolean();

    private BlobPart(PartBlocks pool, List<byte[]> blocks, int length) {
        this.pool = pool;
        this.blocks = blocks;
        this.length = length;
    }

    static BlobPart empty(PartBlocks pool) {
        return new BlobPart(pool, List.of(), 0);
    }

    /** Bytes in the part. */
    int length() {
        return length;
    }

    /** Blocks the part holds. */
    int blocks() {
        return blocks.size();
    }

    /** The bytes as NIO buffers over the blocks, each positioned at its first byte. */
    ByteBuffer[] nioBuffers() {
        ByteBuffer[] out = new ByteBuffer[blocks.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ByteBuffer.wrap(blocks.get(i), 0, filled(i));
        }
        return out;
    }

    /** The bytes as one {@code Buffer}: a composite view over the blocks, no copy. */
    Buffer asBuffer() {
        if (blocks.size() == 1) {
            return Buffer.buffer(Unpooled.wrappedBuffer(blocks.get(0), 0, filled(0)));
        }
        CompositeByteBuf composite = Unpooled.compositeBuffer(Math.max(blocks.size(), 2));
        for (int i = 0; i < blocks.size(); i++) {
            composite.addComponent(true, Unpooled.wrappedBuffer(blocks.get(i), 0, filled(i)));
        }
        return Buffer.buffer(composite);
    }

    /**
     * Gives the blocks back for reuse (once; later calls do nothing). Only when nothing reads the part any more: the
     * store's operation on it has completed, or it was never handed to the store.
     */
    void release() {
        if (released.compareAndSet(false, true)) {
            blocks.forEach(pool::give);
        }
    }

    private int filled(int block) {
        return block < blocks.size() - 1 ? PartBlocks.BLOCK : length - (blocks.size() - 1) * PartBlocks.BLOCK;
    }

    /** A part being filled. Not thread-safe (its {@link PartedBlobWrite} holds its lock). */
    static final class Builder {

        private final PartBlocks pool;
        private final int capacity;
        private final List<byte[]> blocks = new ArrayList<>();
        private int length;

        /** @param capacity the part's size: no more is ever added */
        Builder(PartBlocks pool, int capacity) {
            this.pool = pool;
            this.capacity = capacity;
        }

        int room() {
            return capacity - length;
        }

        /** Copies {@code data[from, from + count)} in, which must fit ({@code count <= room()}). */
        void add(Buffer data, int from, int count) {
            int at = from;
            int left = count;
            while (left > 0) {
                int within = length % PartBlocks.BLOCK;
                if (within == 0) {
                    blocks.add(pool.take());
                }
                int take = Math.min(left, PartBlocks.BLOCK - within);
                data.getBytes(at, at + take, blocks.get(blocks.size() - 1), within);
                at += take;
                left -= take;
                length += take;
            }
        }

        /** The full part (or the last, shorter one); the builder is not used afterwards. */
        BlobPart build() {
            return new BlobPart(pool, blocks, length);
        }

        /** Gives back the blocks of a part that will not be built (the write failed or was aborted). */
        void release() {
            blocks.forEach(pool::give);
            blocks.clear();
            length = 0;
        }
    }
}
