package dev.providers.registry.fetch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.impl.VertxHandler;
import org.junit.jupiter.api.Test;

class HeapBufferAllocatorTest {

    private final HeapBufferAllocator allocator = new HeapBufferAllocator();

    @Test
    void socketReadsLandOnTheHeapWhereTheJdkDecryptsInPlace() {
        for (ByteBuf buf :
                new ByteBuf[] {allocator.ioBuffer(65536), allocator.directBuffer(1024), allocator.buffer()}) {
            assertFalse(buf.isDirect());
            assertTrue(buf.hasArray());
            buf.release();
        }
    }

    @Test
    void vertxHandsTheBufferOverWithoutCopyingIt() {
        ByteBuf read = allocator.ioBuffer(16).writeBytes(new byte[] {1, 2, 3});
        assertTrue(VertxHandler.safeBuffer(read) == read, "a buffer of this allocator is passed on as it is");
        ByteBuf pooled = PooledByteBufAllocator.DEFAULT.directBuffer(16).writeBytes(new byte[] {1, 2, 3});
        ByteBuf copied = VertxHandler.safeBuffer(pooled);
        assertTrue(copied != pooled, "a pooled one is copied to the heap (what this allocator avoids)");
        assertTrue(Buffer.buffer(copied).length() == 3);
    }
}
