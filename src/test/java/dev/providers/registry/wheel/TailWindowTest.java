package dev.providers.registry.wheel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TailWindowTest {

    @Test
    void skippedHeadKeepsAbsoluteOffsets() {
        byte[] stream = TestZips.random(10_000, 3);
        TailWindow w = new TailWindow(1000, 64);
        w.skip(8_500);
        assertEquals(0, w.retained());
        w.reserve(1_500);
        assertEquals(64, w.allocated(), "the reserved room waits for the first stored byte");
        w.write(stream, 8_500, 700);
        assertEquals(1000, w.allocated(), "the first stored byte allocates the reserved room at once");
        w.write(ByteBuffer.wrap(stream, 9_200, 800));
        assertEquals(10_000, w.total());
        assertEquals(1000, w.retained());
        assertEquals(9_000, w.start());
        byte[] tail = new byte[1000];
        w.copy(9_000, tail, 0, 1000);
        assertArrayEquals(Arrays.copyOfRange(stream, 9_000, 10_000), tail);
        assertFalse(w.contains(8_999, 1));
        assertThrows(IllegalStateException.class, () -> w.skip(1));
    }

    @Test
    void keepsTheLastBytesWhateverTheChunking() {
        Random rnd = new Random(7);
        for (int round = 0; round < 200; round++) {
            int capacity = 1 + rnd.nextInt(5000);
            int initial = 1 + rnd.nextInt(300);
            byte[] stream = TestZips.random(rnd.nextInt(20_000), round);
            TailWindow w = new TailWindow(capacity, initial);
            int off = 0;
            while (off < stream.length) {
                int n = Math.min(rnd.nextInt(3 * capacity + 2), stream.length - off);
                if (rnd.nextBoolean()) {
                    w.write(stream, off, n);
                } else {
                    w.write(ByteBuffer.wrap(stream, off, n));
                }
                off += n;
            }
            int kept = Math.min(capacity, stream.length);
            assertEquals(stream.length, w.total());
            assertEquals(kept, w.retained());
            assertEquals(stream.length - kept, w.start());
            byte[] tail = new byte[kept];
            w.copy(w.start(), tail, 0, kept);
            assertArrayEquals(Arrays.copyOfRange(stream, stream.length - kept, stream.length), tail);
            if (kept > 0) {
                long p = w.start() + rnd.nextInt(kept);
                assertEquals(stream[(int) p] & 0xFF, w.u8(p));
            }
        }
    }

    @Test
    void growsLazilyByDoubling() {
        TailWindow w = new TailWindow(1000, 64);
        assertEquals(64, w.allocated());
        w.write(new byte[64], 0, 64);
        assertEquals(64, w.allocated());
        w.write(new byte[1], 0, 1);
        assertEquals(128, w.allocated());
        w.write(new byte[300], 0, 300);
        assertEquals(512, w.allocated());
        w.write(new byte[5000], 0, 5000);
        assertEquals(1000, w.allocated());
    }

    @Test
    void littleEndianReadsAndBounds() {
        TailWindow w = new TailWindow(8, 4);
        w.write(new byte[] {9, 9, 9, 9}, 0, 4);
        w.write(new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) 0x88}, 0, 8);
        assertEquals(4, w.start());
        assertEquals(0x0201, w.u16(4));
        assertEquals(0x04030201L, w.u32(4));
        assertEquals(0x8807060504030201L, w.u64(4));
        assertTrue(w.contains(4, 8));
        assertFalse(w.contains(3, 1));
        assertFalse(w.contains(4, 9));
        assertFalse(w.contains(Long.MAX_VALUE, 1));
        assertFalse(w.contains(5, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> w.u8(3));
        assertThrows(IndexOutOfBoundsException.class, () -> w.u32(9));
        assertThrows(IndexOutOfBoundsException.class, () -> w.u8(12));
    }
}
