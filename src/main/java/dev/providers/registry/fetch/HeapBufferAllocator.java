package dev.providers.registry.fetch;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.buffer.UnpooledUnsafeHeapByteBuf;
import io.netty.util.internal.PlatformDependent;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * The allocator of the fetch client's connections: every buffer on the heap, socket reads included. A wheel body is
 * TLS application data that the JDK's engine decrypts in place; on heap buffers it decrypts straight in their arrays,
 * while on Netty's pooled direct buffers AES-GCM goes through 768-byte bounce arrays (a copy in and a copy out of
 * every byte), and Vert.x then copies each pooled chunk to the heap once more before handing it over. Reading into
 * the heap costs one copy (the JDK's temporary direct buffer); that trade saves two copies of every byte of a wheel
 * and the per-768-byte loop (bench/README.md "Native executable").
 */
final class HeapBufferAllocator extends AbstractByteBufAllocator {

    // No static instance: Netty's allocator classes are initialized at run time in the native image.
    HeapBufferAllocator() {
        super(false);
    }

    /** Applies this allocator to a connection as the client makes it, before any of the response is read. */
    void install(HttpConnection connection) {
        if (connection instanceof ConnectionBase base) {
            base.channel().config().setAllocator(this);
        }
    }

    // Unpooled (Vert.x copies the buffers of a pooled allocator to the heap), not leak-tracked: the GC collects them.
    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return PlatformDependent.hasUnsafe()
                ? new UnpooledUnsafeHeapByteBuf(this, initialCapacity, maxCapacity)
                : new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
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
}
