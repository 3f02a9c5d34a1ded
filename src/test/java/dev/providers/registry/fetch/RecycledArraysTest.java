package dev.providers.registry.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class RecycledArraysTest {

    @Test
    void lengthsInRangeAreRoundedUpToAPowerOfTwo() {
        assertEquals(1024, RecycledArrays.lengthFor(1024));
        assertEquals(2048, RecycledArrays.lengthFor(1025));
        assertEquals(65536, RecycledArrays.lengthFor(65536));
        assertEquals(65536, RecycledArrays.lengthFor(16_413 * 3));
        assertEquals(131072, RecycledArrays.lengthFor(65537));
        assertEquals(1000, RecycledArrays.lengthFor(1000), "small requests are not rounded");
        assertEquals(200_000, RecycledArrays.lengthFor(200_000), "large requests are not rounded");
        assertEquals(0, RecycledArrays.lengthFor(0));
    }

    @Test
    void aGivenArrayServesTheNextRequestOfItsLengthOnly() {
        RecycledArrays arrays = new RecycledArrays(1 << 20);
        byte[] array = new byte[65536];
        arrays.give(array);
        assertNull(arrays.take(32768), "another length");
        assertSame(array, arrays.take(65536));
        assertNull(arrays.take(65536), "taken once");
        assertEquals(0, arrays.keptBytes());
    }

    @Test
    void lengthsOutOfRangeOrNotAPowerOfTwoAreNotKept() {
        RecycledArrays arrays = new RecycledArrays(1 << 20);
        arrays.give(new byte[512]);
        arrays.give(new byte[262144]);
        arrays.give(new byte[65535]);
        assertEquals(0, arrays.keptBytes());
        assertNull(arrays.take(65535));
    }

    @Test
    void keepsNoMoreThanItsBound() {
        RecycledArrays arrays = new RecycledArrays(3 * 65536);
        for (int i = 0; i < 5; i++) {
            arrays.give(new byte[65536]);
        }
        assertEquals(3 * 65536, arrays.keptBytes());
        for (int i = 0; i < 3; i++) {
            arrays.take(65536);
        }
        assertNull(arrays.take(65536));
    }
}
