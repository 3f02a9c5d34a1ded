package dev.providers.registry.wheel;

import static dev.providers.registry.wheel.TestZips.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.providers.registry.support.Wheels;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/**
 * The METADATA member is captured while the wheel streams, however the archive was written: sizes in the local
 * headers (Python's zipfile), data descriptors (Java's ZipOutputStream, streaming writers), stored or deflated,
 * zip64, and whatever the chunk boundaries; a capture is trusted only when the central directory confirms it.
 */
class CoreMetadataCaptureTest {

    private static final String DIST = "acme_demo";
    private static final String VERSION = "1.0.0";
    private static final String INFO = DIST + "-" + VERSION + ".dist-info/";
    private static final String METADATA = "Metadata-Version: 2.1\nName: acme-demo\nVersion: 1.0.0\n"
            + "Requires-Python: >=3.8,\n  <4\nSummary: a <script>demo</script>\n\nLong description\n"
            + "Requires-Python: ignored in the body\n";

    @Test
    void dataDescriptorWheelsAreFollowedBySignature() {
        byte[] wheel = new TestZips.ZipBuilder()
                .deflated("acme_demo/__init__.py", "x = 1\n")
                .deflated("acme_demo/data.bin", TestZips.random(50_000, 7))
                .deflated(INFO + "METADATA", METADATA)
                .deflated(INFO + "RECORD", "")
                .build();
        for (int chunk : new int[] {1, 3, 8192, wheel.length}) {
            CoreMetadata captured = inspect(wheel, chunk).coreMetadata();
            assertNotNull(captured, "chunks of " + chunk);
            assertArrayEquals(utf8(METADATA), captured.bytes());
            assertEquals(">=3.8, <4", captured.requiresPython());
        }
    }

    @Test
    void localHeaderSizesAreFollowedWithoutLookingAtTheData() {
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("acme_demo/__init__.py", utf8("x = 1\n"));
        members.put("acme_demo/data.bin", TestZips.random(300_000, 3));
        members.put(INFO + "METADATA", utf8(METADATA));
        members.put(INFO + "WHEEL", utf8("Wheel-Version: 1.0\n"));
        members.put(INFO + "RECORD", utf8(""));
        for (boolean deflate : new boolean[] {true, false}) {
            byte[] wheel = pythonStyleZip(members, deflate, false);
            for (int chunk : new int[] {1, 7, 4096, wheel.length}) {
                CoreMetadata captured = inspect(wheel, chunk).coreMetadata();
                assertNotNull(captured, "deflate " + deflate + ", chunks of " + chunk);
                assertArrayEquals(utf8(METADATA), captured.bytes());
                assertEquals(">=3.8, <4", captured.requiresPython());
                assertEquals(Wheels.sha256Hex(utf8(METADATA)), captured.sha256Hex());
            }
        }
    }

    @Test
    void zip64LocalHeadersAreFollowed() {
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("acme_demo/data.bin", TestZips.random(70_000, 5));
        members.put(INFO + "METADATA", utf8(METADATA));
        byte[] wheel = pythonStyleZip(members, true, true);
        assertArrayEquals(utf8(METADATA), inspect(wheel, 1000).coreMetadata().bytes());
    }

    @Test
    void randomChunkBoundariesGiveTheSameCapture() {
        byte[] wheel = Wheels.builder("acme-demo", VERSION).padding(200_000).build();
        Random random = new Random(11);
        for (int round = 0; round < 20; round++) {
            WheelStreamVerifier verifier = new WheelStreamVerifier();
            int p = 0;
            while (p < wheel.length) {
                int n = Math.min(wheel.length - p, 1 + random.nextInt(5000));
                verifier.accept(wheel, p, n);
                p += n;
            }
            CoreMetadata captured = finish(verifier).coreMetadata();
            assertNotNull(captured);
            assertEquals(
                    "Metadata-Version: 2.1\nName: acme-demo\nVersion: 1.0.0\n",
                    new String(captured.bytes(), StandardCharsets.UTF_8));
            assertNull(captured.requiresPython());
        }
    }

    @Test
    void aFakeHeaderInsideTheDataIsNotTrusted() {
        // Stored data that contains a local header named like a METADATA member: found by the signature search after a
        // data-descriptor member, but the central directory names another offset, so the real member is the one kept.
        byte[] fake = new TestZips.Le()
                .u32(0x04034b50)
                .u16(20)
                .u16(0)
                .u16(0)
                .u32(0)
                .u32(0)
                .u32(5)
                .u32(5)
                .u16((INFO + "METADATA").length())
                .u16(0)
                .bytes(utf8(INFO + "METADATA"))
                .bytes(utf8("FAKE!"))
                .build();
        byte[] wheel = new TestZips.ZipBuilder()
                .deflated("acme_demo/__init__.py", "x = 1\n")
                .stored("acme_demo/fake.bin", fake)
                .deflated(INFO + "METADATA", METADATA)
                .deflated(INFO + "RECORD", "")
                .build();
        assertArrayEquals(utf8(METADATA), inspect(wheel, 100).coreMetadata().bytes());
    }

    @Test
    void metadataOverTheCapIsNotKept() {
        byte[] big = TestZips.random(CoreMetadataCapture.MAX_BYTES + 1, 9);
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put(INFO + "METADATA", big);
        members.put(INFO + "RECORD", utf8(""));
        assertNull(inspect(pythonStyleZip(members, false, false), 65536).coreMetadata());
        assertNull(inspect(pythonStyleZip(members, true, false), 65536).coreMetadata());
        byte[] streamed = new TestZips.ZipBuilder()
                .deflated(INFO + "METADATA", big)
                .deflated(INFO + "RECORD", "")
                .build();
        assertNull(inspect(streamed, 65536).coreMetadata());
    }

    @Test
    void aWheelWithoutMetadataHasNone() {
        byte[] wheel = new TestZips.ZipBuilder()
                .deflated(INFO + "WHEEL", "Wheel-Version: 1.0\n")
                .deflated(INFO + "RECORD", "")
                .build();
        assertNull(inspect(wheel, 512).coreMetadata());
    }

    @Test
    void metadataNames() {
        assertTrue(CoreMetadataCapture.isMetadataName("a-1.0.dist-info/METADATA"));
        assertFalse(CoreMetadataCapture.isMetadataName(".dist-info/METADATA"));
        assertFalse(CoreMetadataCapture.isMetadataName("a-1.0.dist-info/sub/METADATA"));
        assertFalse(CoreMetadataCapture.isMetadataName("pkg/a-1.0.dist-info/METADATA"));
        assertFalse(CoreMetadataCapture.isMetadataName("a-1.0.data/METADATA"));
        assertFalse(CoreMetadataCapture.isMetadataName("a-1.0.dist-info/METADATA.bak"));
    }

    @Test
    void requiresPythonIsReadFromTheHeadersOnly() {
        assertEquals(">=3.9", CoreMetadata.requiresPython(utf8("Name: x\r\nrequires-python:  >=3.9 \r\n\r\n")));
        assertNull(CoreMetadata.requiresPython(utf8("Name: x\n\nRequires-Python: >=3.9\n")));
        assertNull(CoreMetadata.requiresPython(utf8("Name: x\nRequires-Python:\n")));
    }

    private static WheelInspection inspect(byte[] wheel, int chunk) {
        WheelStreamVerifier verifier = new WheelStreamVerifier();
        for (int p = 0; p < wheel.length; p += chunk) {
            verifier.accept(wheel, p, Math.min(chunk, wheel.length - p));
        }
        return finish(verifier);
    }

    private static WheelInspection finish(WheelStreamVerifier verifier) {
        try {
            return verifier.finish(DIST, VERSION, null);
        } catch (NotAWheelException | PackageNotInWheelException e) {
            throw new AssertionError(e);
        }
    }

    /** A zip as Python's zipfile writes it to a file: sizes and CRC in every local header, no data descriptors. */
    static byte[] pythonStyleZip(Map<String, byte[]> members, boolean deflate, boolean zip64) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream cd = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> member : members.entrySet()) {
            byte[] name = utf8(member.getKey());
            byte[] data = member.getValue();
            CRC32 crc = new CRC32();
            crc.update(data);
            byte[] stored = deflate ? deflate(data) : data;
            long offset = out.size();
            byte[] extra = zip64
                    ? new TestZips.Le()
                            .u16(1)
                            .u16(16)
                            .u64(data.length)
                            .u64(stored.length)
                            .build()
                    : new byte[0];
            out.writeBytes(new TestZips.Le()
                    .u32(0x04034b50)
                    .u16(zip64 ? 45 : 20)
                    .u16(0)
                    .u16(deflate ? 8 : 0)
                    .u32(0)
                    .u32(crc.getValue())
                    .u32(zip64 ? 0xFFFFFFFFL : stored.length)
                    .u32(zip64 ? 0xFFFFFFFFL : data.length)
                    .u16(name.length)
                    .u16(extra.length)
                    .bytes(name)
                    .bytes(extra)
                    .bytes(stored)
                    .build());
            cd.writeBytes(new TestZips.Le()
                    .u32(0x02014b50)
                    .u16(20)
                    .u16(20)
                    .u16(0)
                    .u16(deflate ? 8 : 0)
                    .u32(0)
                    .u32(crc.getValue())
                    .u32(stored.length)
                    .u32(data.length)
                    .u16(name.length)
                    .u16(0)
                    .u16(0)
                    .u16(0)
                    .u16(0)
                    .u32(0)
                    .u32(offset)
                    .bytes(name)
                    .build());
        }
        long cdOffset = out.size();
        out.writeBytes(cd.toByteArray());
        out.writeBytes(TestZips.eocd(members.size(), cd.size(), cdOffset, 0));
        return out.toByteArray();
    }

    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }
}
