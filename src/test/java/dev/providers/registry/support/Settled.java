package dev.providers.registry.support;

import java.util.function.LongSupplier;

/** Waiting for a counter that moves while a transfer is under way to come to rest. */
public final class Settled {

    private Settled() {}

    /** The value once it stopped changing for half a second. */
    public static long value(LongSupplier value) throws InterruptedException {
        long last = -1;
        long now = value.getAsLong();
        while (now != last) {
            last = now;
            Thread.sleep(500);
            now = value.getAsLong();
        }
        return now;
    }
}
