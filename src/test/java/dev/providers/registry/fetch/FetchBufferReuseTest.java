package dev.providers.registry.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.providers.registry.identity.WheelUrl;
import dev.providers.registry.reliability.OffloadedHashingTest;
import dev.providers.registry.support.RegistryTestBase;
import dev.providers.registry.support.Wheels;
import dev.providers.registry.wheel.WheelDigester;
import dev.providers.registry.wheel.WheelDigesters;
import dev.providers.registry.wheel.WheelInspection;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Wheels fetched at the same time, over HTTPS, each digester giving its chunks back once hashed (on the hashing
 * pool, as for a large wheel): the arrays under those chunks serve the next reads of the loop, and every wheel still
 * hashes to its own bytes, in a first round and in a second one that runs on the arrays the first gave back.
 */
@QuarkusTest
@TestProfile(OffloadedHashingTest.LowThreshold.class)
class FetchBufferReuseTest extends RegistryTestBase {

    private static final int MIB = 1024 * 1024;

    @Inject
    WheelFetcher fetcher;

    @Inject
    WheelDigesters digesters;

    @Test
    void concurrentWheelsOnReusedBuffersEachHashToTheirOwnBytes() throws Exception {
        List<String> names = new ArrayList<>();
        List<Served> wheels = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String name = unique("reuse" + i);
            names.add(name);
            wheels.add(serve(
                    Wheels.fileName(name, "1.0.0"),
                    Wheels.builder(name, "1.0.0").padding(2 * MIB + i * 333_333).build()));
        }
        for (int round = 1; round <= 2; round++) {
            List<Uni<WheelInspection>> fetches = new ArrayList<>();
            for (int i = 0; i < wheels.size(); i++) {
                fetches.add(fetchAndInspect(wheels.get(i), names.get(i)));
            }
            List<WheelInspection> inspected =
                    Uni.join().all(fetches).andFailFast().await().atMost(Duration.ofSeconds(30));
            for (int i = 0; i < wheels.size(); i++) {
                assertEquals(wheels.get(i).sha256(), inspected.get(i).sha256Hex(), "round " + round + ", wheel " + i);
                assertEquals(wheels.get(i).bytes().length, inspected.get(i).size());
            }
            assertTrue(fetcher.keptBufferBytes() > 0, "round " + round + ": no released buffer was kept for reuse");
        }
    }

    private Uni<WheelInspection> fetchAndInspect(Served wheel, String name) {
        WheelDigester digester = digesters.open().afterHashing(WheelFetcher::giveBack);
        return fetcher.fetch(WheelUrl.normalize(wheel.url()), digester, digester::expectLength)
                .map(fetched -> {
                    try {
                        return digester.finish(name, "1.0.0", null);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
    }
}
