package dev.providers.registry.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.providers.registry.identity.WheelUrl;
import dev.providers.registry.support.RegistryTestBase;
import dev.providers.registry.support.TestServers;
import dev.providers.registry.wheel.TestZips;
import dev.providers.registry.wheel.WheelDigesters;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A kept-alive connection to a wheel server is reused by the next fetch of the event loop that opened it, and a
 * fetch of another loop opens its own: reused across loops, every chunk of the body would cross threads.
 */
@QuarkusTest
class FetchConnectionAffinityTest extends RegistryTestBase {

    @Inject
    WheelFetcher fetcher;

    @Inject
    WheelDigesters digesters;

    @Inject
    Vertx vertx;

    @Test
    void eachEventLoopKeepsItsOwnConnections() throws Exception {
        String path = "/" + UUID.randomUUID() + "/affinity-1.0.0-py3-none-any.whl";
        TestServers.wheels().serve(path, TestZips.random(64 * 1024, 5));
        ContextInternal first = ((VertxInternal) vertx).createEventLoopContext();
        ContextInternal second = ((VertxInternal) vertx).createEventLoopContext();
        while (second.nettyEventLoop() == first.nettyEventLoop()) {
            second = ((VertxInternal) vertx).createEventLoopContext();
        }

        fetchOn(first, path);
        fetchOn(second, path);
        fetchOn(first, path);

        List<Integer> ports = TestServers.wheels().clientPorts(path);
        assertEquals(3, ports.size(), "three requests");
        assertNotEquals(ports.get(0), ports.get(1), "the second loop opened a connection of its own");
        assertEquals(ports.get(0), ports.get(2), "the first loop reused its kept-alive connection");
    }

    private void fetchOn(ContextInternal context, String path) throws Exception {
        CompletableFuture<FetchResult> done = new CompletableFuture<>();
        context.runOnContext(v -> {
            var digester = digesters.open();
            fetcher.fetch(WheelUrl.normalize(wheelsUrl(path)), digester, digester::expectLength)
                    .subscribe()
                    .with(done::complete, done::completeExceptionally);
        });
        done.get(10, TimeUnit.SECONDS);
    }
}
