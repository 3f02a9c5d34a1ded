package dev.providers.registry.fetch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.providers.registry.identity.WheelUrl;
import dev.providers.registry.support.RegistryTestBase;
import dev.providers.registry.support.TestServers;
import dev.providers.registry.support.TestWheelServer.Behaviour;
import dev.providers.registry.wheel.TestZips;
import dev.providers.registry.wheel.WheelDigesters;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A caller that goes away mid-body (the publisher hung up) frees the wheel server's connection at once. */
@QuarkusTest
class FetchCancellationTest extends RegistryTestBase {

    @Inject
    WheelFetcher fetcher;

    @Inject
    WheelDigesters digesters;

    @Test
    void cancellingAFetchMidBodyClosesItsConnection() throws Exception {
        int before = TestServers.wheels().activeExchanges();
        String path = "/" + UUID.randomUUID() + "/stalled-1.0.0-py3-none-any.whl";
        // 256 KiB, then nothing more of the 1 MiB declared: the exchange stays open until the client lets go.
        TestServers.wheels().route(path, Behaviour.stall(TestZips.random(256 * 1024, 3)));
        var digester = digesters.open();
        Cancellable fetching = fetcher.fetch(WheelUrl.normalize(wheelsUrl(path)), digester, digester::expectLength)
                .subscribe()
                .with(done -> {}, failure -> {});
        // The fetch fails by itself only 2 s after these bytes, so waiting longer for them cannot hide anything.
        assertTrue(
                waitFor(() -> TestServers.wheels().bytesWritten(path) >= 256 * 1024, 5_000), "the body never started");
        assertTrue(TestServers.wheels().activeExchanges() > before, "the exchange is not open");

        fetching.cancel();

        // Well inside the 2 s idle timeout, which the cancelled fetch no longer watches anyway.
        assertTrue(
                waitFor(() -> TestServers.wheels().activeExchanges() <= before, 1_500),
                "the wheel server still serves " + TestServers.wheels().activeExchanges() + " exchanges");
    }

    private static boolean waitFor(java.util.function.BooleanSupplier condition, long millis)
            throws InterruptedException {
        long until = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < until) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(10);
        }
        return condition.getAsBoolean();
    }
}
