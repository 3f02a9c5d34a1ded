package dev.providers.registry.fetch;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.util.IllegalReferenceCountException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.buffer.impl.BufferImpl;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * The allocator of the fetch client's connections: every buffer on the heap, socket reads included. A wheel body is
 * TLS application data that the JDK's engine decrypts in place; on heap buffers it decrypts straight in their arrays,
 * while on Netty's pooled direct buffers AES-GCM goes through 768-byte bounce arrays (a copy in and a copy out of
 * every byte), and Vert.x then copies each pooled chunk to the heap once more before handing it over. Reading into
 * the heap costs one copy (the JDK's temporary direct buffer); that trade saves two copies of every byte of a wheel
 * and the per-768-byte loop (bench/README.md "Native executable").
 *
 * <p>A buffer's array is kept when the buffer is released and reused by the next buffer of its length
 * ({@link RecycledArrays}, shared by the fetcher's allocators): Netty releases the socket reads once decrypted, and a
 * body's consumer gives each chunk back once it is done with it ({@link #giveBack}). One allocator per event loop's
 * client, shared by its connections.
 */
final class HeapBufferAllocator extends AbstractByteBufAllocator {

    private final RecycledArrays arrays;

    // No static instance: Netty's allocator classes are initialized at run time in the native image.
    HeapBufferAllocator(RecycledArrays arrays) {
        super(false);
        this.arrays = arrays;
    }

    /** Applies this allocator to a connection as the client makes it, before any of the response is read. */
    void install(HttpConnection connection) {
        if (connection instanceof ConnectionBase base) {
            base.channel().config().setAllocator(this);
        }
    }

    /**
     * Gives back a chunk of a fetched body that its last consumer is done with (it read what it needed and copied what
     * it keeps): once every chunk cut from the same network buffer is given back, that buffer's array serves the next
     * reads. A chunk that is not a fetch buffer is left alone; one that is never given back is collected by the GC.
     */
    static void giveBack(Buffer chunk) {
        if (chunk instanceof BufferImpl impl && impl.byteBuf().alloc() instanceof HeapBufferAllocator) {
            try {
                impl.byteBuf().release();
            } catch (IllegalReferenceCountException alreadyReleased) {
                // not ours to give back after all: its array is simply not reused
            }
        }
    }

    // Not pooled the Netty way (Vert.x copies the buffers of a PooledByteBufAllocator to the heap) and not
    // leak-tracked: a buffer that is never released is collected by the GC.
    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return new RecyclingHeapByteBuf(
                this, Math.min(RecycledArrays.lengthFor(initialCapacity), maxCapacity), maxCapacity);
    }

    /** Netty asks for direct buffers for I/O; the heap is the point. */
    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return newHeapBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    /** Takes its arrays from the allocator's kept ones and gives them back when released (or outgrown). */
    private static final class RecyclingHeapByteBuf extends UnpooledHeapByteBuf {

        RecyclingHeapByteBuf(HeapBufferAllocator allocator, int initialCapacity, int maxCapacity) {
            super(allocator, initialCapacity, maxCapacity);
        }

        // Called from the super constructor too, so the arrays are reached through alloc(), which it sets first.
        @Override
        protected byte[] allocateArray(int length) {
            byte[] kept = ((HeapBufferAllocator) alloc()).arrays.take(length);
            return kept != null ? kept : super.allocateArray(length);
        }

        @Override
        protected void freeArray(byte[] array) {
            ((HeapBufferAllocator) alloc()).arrays.give(array);
        }
    }
}
