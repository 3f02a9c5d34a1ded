package dev.providers.registry.support;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waiting for what the service does after its answer (a cache fill, a cleanup). */
public final class Eventually {

    private Eventually() {}

    /** Polls {@code condition} until it holds; fails naming {@code what} after {@code seconds}. */
    public static void await(BooleanSupplier condition, int seconds, String what) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("waited " + seconds + " s for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}
