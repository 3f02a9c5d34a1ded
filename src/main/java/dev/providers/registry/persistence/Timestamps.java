package dev.providers.registry.persistence;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** "Now" at the precision PostgreSQL stores (microseconds), so that an answer and a later read of it agree. */
public final class Timestamps {

    private Timestamps() {}

    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
