package dev.providers.registry.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.configuration.MemorySize;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class BodyLimitTest {

    private static BodyLimit of(long bytes) {
        return new BodyLimit(new MemorySize(BigInteger.valueOf(bytes)));
    }

    @Test
    void theDetailNamesTheConfiguredLimit() {
        assertEquals(
                "the request body exceeds the 5 MiB limit", of(5L * 1024 * 1024).detail());
        assertEquals(
                "the request body exceeds the 512 KiB limit", of(512 * 1024).detail());
        assertEquals("the request body exceeds the 1000 bytes limit", of(1000).detail());
    }

    @Test
    void theLimitItselfIsAllowed() {
        assertFalse(of(100).exceededBy(100));
        assertTrue(of(100).exceededBy(101));
        assertFalse(of(100).exceededBy(-1));
    }
}
