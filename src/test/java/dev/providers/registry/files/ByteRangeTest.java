package dev.providers.registry.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class ByteRangeTest {

    @Test
    void oneRangeInEachForm() {
        assertEquals(new ByteRange(10, 10), ByteRange.parse("bytes=10-19", 100));
        assertEquals(new ByteRange(90, 10), ByteRange.parse("bytes=90-", 100));
        assertEquals(new ByteRange(95, 5), ByteRange.parse("bytes=-5", 100));
        assertEquals(new ByteRange(0, 100), ByteRange.parse("bytes=-500", 100));
        assertEquals(new ByteRange(90, 10), ByteRange.parse("bytes=90-1000", 100));
        assertEquals("bytes 10-19/100", new ByteRange(10, 10).contentRange(100));
    }

    @Test
    void rangesNoByteSatisfies() {
        assertSame(ByteRange.UNSATISFIABLE, ByteRange.parse("bytes=100-", 100));
        assertSame(ByteRange.UNSATISFIABLE, ByteRange.parse("bytes=100-200", 100));
        assertSame(ByteRange.UNSATISFIABLE, ByteRange.parse("bytes=-0", 100));
    }

    @Test
    void whatIsIgnoredGivesTheWholeFile() {
        assertNull(ByteRange.parse(null, 100));
        assertNull(ByteRange.parse("bytes=0-1,5-6", 100));
        assertNull(ByteRange.parse("items=0-1", 100));
        assertNull(ByteRange.parse("bytes=5-1", 100));
        assertNull(ByteRange.parse("bytes=a-b", 100));
        assertNull(ByteRange.parse("bytes=", 100));
    }
}
