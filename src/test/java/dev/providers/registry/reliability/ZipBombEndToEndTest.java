package dev.providers.registry.reliability;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.providers.registry.support.RegistryTestBase;
import dev.providers.registry.support.Wheels;
import dev.providers.registry.wheel.TestZips;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * Archives that lie about themselves, served over HTTPS and published: refused as not-a-wheel from the tail window,
 * without allocating what they claim (the test JVM's heap could not hold a million-entry directory's promises).
 */
@QuarkusTest
class ZipBombEndToEndTest extends RegistryTestBase {

    private void refused(String name, byte[] archive, String reason) {
        Served served = serve(Wheels.fileName(name, "1.0.0"), archive);
        expectProblem(publish(body(org + "/" + name, "1.0.0", served.url())), 422, "not-a-wheel")
                .body("detail", containsString(reason));
        readVersion(token, org + "/" + name, "1.0.0").statusCode(200).body("status", equalTo("failed"));
    }

    @Test
    void aDirectoryClaimingMillionsOfEntriesIsRefusedByItsCount() {
        byte[] padding = TestZips.random(4096, 1);
        byte[] zip64 = TestZips.zip64Eocd(5_000_000L, 0x7fff_ffffL, 100);
        byte[] locator = TestZips.zip64Locator(padding.length);
        byte[] eocd = TestZips.eocd(0xFFFF, 0xFFFFFFFFL, 0xFFFFFFFFL, 0);
        refused(unique("bomb"), TestZips.concat(padding, zip64, locator, eocd), "100000");
    }

    @Test
    void aDirectoryOfAbsurdSizeIsRefused() {
        byte[] padding = TestZips.random(2048, 2);
        refused(unique("huge"), TestZips.concat(padding, TestZips.eocd(3, 0xF000_0000L, 0, 0)), "central directory");
    }

    @Test
    void aDirectoryPointingOutsideTheFileIsRefused() {
        byte[] padding = TestZips.random(1024, 3);
        byte[] header = TestZips.centralHeader("pkg/__init__.py", 15, 0);
        byte[] eocd = TestZips.eocd(1, header.length, 1_000_000_000L, 0);
        refused(unique("outside"), TestZips.concat(padding, header, eocd), "outside");
    }

    @Test
    void anEntryNameLengthThatRunsPastTheDirectoryIsRefused() {
        byte[] padding = TestZips.random(512, 4);
        byte[] header = TestZips.centralHeader("pkg/__init__.py", 60_000, 0);
        byte[] eocd = TestZips.eocd(1, header.length, padding.length, 0);
        refused(unique("lying"), TestZips.concat(padding, header, eocd), "");
    }
}
