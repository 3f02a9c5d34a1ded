package dev.providers.registry.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.impl.VertxHandler;
import org.junit.jupiter.api.Test;

class HeapBufferAllocatorTest {

    private final RecycledArrays arrays = new RecycledArrays(1 << 20);
    private final HeapBufferAllocator allocator = new HeapBufferAllocator(arrays);

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

    @Test
    void aReleasedBuffersArrayServesTheNextBufferOfItsLength() {
        ByteBuf read = allocator.ioBuffer(65536);
        byte[] array = read.array();
        read.release();
        assertEquals(65536, arrays.keptBytes());
        ByteBuf next = allocator.ioBuffer(65536);
        assertSame(array, next.array());
        assertEquals(0, arrays.keptBytes());
    }

    @Test
    void anArrayIsReusedOnlyOnceEveryChunkCutFromItsBufferIsGivenBack() {
        ByteBuf decrypted = allocator.heapBuffer(40_000).writeBytes(new byte[40_000]);
        byte[] array = decrypted.array();
        assertEquals(65536, array.length, "rounded up to a kept length");
        // As the HTTP decoder hands the body on: retained slices, then the decoder releases its own reference.
        Buffer first = Buffer.buffer(decrypted.readRetainedSlice(30_000));
        Buffer second = Buffer.buffer(decrypted.readRetainedSlice(10_000));
        decrypted.release();

        HeapBufferAllocator.giveBack(first);
        assertNotSame(array, allocator.heapBuffer(65536).array(), "the second chunk still reads it");
        HeapBufferAllocator.giveBack(second);
        assertSame(array, allocator.heapBuffer(65536).array());
    }

    @Test
    void giveBackLeavesOtherBuffersAlone() {
        Buffer other = Buffer.buffer("not a fetch buffer");
        HeapBufferAllocator.giveBack(other);
        assertEquals(1, other.getByteBuf().refCnt());
        assertEquals("not a fetch buffer", other.toString());
    }

    @Test
    void aChunkGivenBackTwiceIsIgnoredTheSecondTime() {
        Buffer chunk = Buffer.buffer(allocator.heapBuffer(4096).writeBytes(new byte[100]));
        HeapBufferAllocator.giveBack(chunk);
        HeapBufferAllocator.giveBack(chunk);
        assertEquals(4096, arrays.keptBytes(), "kept once");
    }
}
