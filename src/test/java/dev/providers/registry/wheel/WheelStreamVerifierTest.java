package dev.providers.registry.wheel;

import static dev.providers.registry.wheel.TestZips.concat;
import static dev.providers.registry.wheel.TestZips.random;
import static dev.providers.registry.wheel.TestZips.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@SuppressWarnings("deprecation") // Buffer.buffer(ByteBuf) is the way to build composite/direct Vert.x 4 buffers
class WheelStreamVerifierTest {

    private static final int DEFAULT = WheelStreamVerifier.DEFAULT_MAX_CENTRAL_DIRECTORY_BYTES;
    private static final int SMALL_WINDOW = 256 * 1024;

    // ---------------------------------------------------------------- helpers

    private static byte[] sampleWheel() {
        return TestZips.wheel("demo_pkg", "1.2.0")
                .stored("demo/__init__.py", "VERSION = '1.2.0'\n")
                .deflated("demo/core.py", "def f():\n    return 42\n".repeat(50))
                .stored("demo/data.bin", random(10_000, 1))
                .deflated("demo_pkg-1.2.0.dist-info/top_level.txt", "demo\n")
                .build();
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static WheelStreamVerifier feedBytes(byte[] b, int window, int chunk) {
        WheelStreamVerifier v = new WheelStreamVerifier(window);
        for (int off = 0; off < b.length; off += chunk) {
            int n = Math.min(chunk, b.length - off);
            v.accept(b, off, n);
        }
        return v;
    }

    private static WheelInspection inspect(byte[] b, String dist, String version, String requested) throws Exception {
        return inspect(b, DEFAULT, dist, version, requested);
    }

    private static WheelInspection inspect(byte[] b, int window, String dist, String version, String requested)
            throws Exception {
        WheelStreamVerifier v = feedBytes(b, window, 8192);
        return v.finish(dist, version, requested);
    }

    private static NotAWheelException rejected(byte[] b, String dist, String version) {
        return rejected(b, DEFAULT, dist, version);
    }

    private static NotAWheelException rejected(byte[] b, int window, String dist, String version) {
        WheelStreamVerifier v = feedBytes(b, window, 8192);
        return assertThrows(NotAWheelException.class, () -> v.finish(dist, version, null));
    }

    private static void assertMessageContains(Exception e, String fragment) {
        assertTrue(
                e.getMessage().contains(fragment), () -> "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }

    // ---------------------------------------------------------------- normal wheels, chunking, digests

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 4096, Integer.MAX_VALUE})
    void normalWheelInVertxBufferChunks(int chunk) throws Exception {
        byte[] wheel = sampleWheel();
        WheelStreamVerifier v = new WheelStreamVerifier(DEFAULT);
        for (int off = 0; off < wheel.length; off += Math.min(chunk, wheel.length - off)) {
            int n = Math.min(chunk, wheel.length - off);
            v.accept(Buffer.buffer(Unpooled.wrappedBuffer(wheel, off, n)));
        }
        assertEquals(wheel.length, v.size());
        WheelInspection result = v.finish("demo-pkg", "1.2.0", null);
        assertEquals(sha256(wheel), result.sha256Hex());
        assertArrayEquals(HexFormat.of().parseHex(result.sha256Hex()), v.digest());
        assertEquals(wheel.length, result.size());
        assertEquals("demo", result.packageName());
        assertEquals(7, result.entryCount());
    }

    /** With the length declared, bytes before the tail are hashed but never copied; the result is the same. */
    @ParameterizedTest
    @ValueSource(ints = {1, 7, 100, 4096, Integer.MAX_VALUE})
    void declaredLengthSkipsTheHeadButKeepsTheTail(int chunk) throws Exception {
        byte[] padding = TestZips.random(50_000, chunk);
        byte[] wheel = TestZips.wheel("demo_pkg", "1.2.0")
                .stored("demo/__init__.py", new byte[0])
                .stored("demo/blob.bin", padding)
                .build();
        int window = 4096; // far smaller than the wheel: most of it is skipped
        WheelStreamVerifier declared = new WheelStreamVerifier(window);
        WheelStreamVerifier plain = new WheelStreamVerifier(window);
        declared.expectLength(wheel.length);
        for (int off = 0; off < wheel.length; off += Math.min(chunk, wheel.length - off)) {
            int n = Math.min(chunk, wheel.length - off);
            declared.accept(Buffer.buffer(Unpooled.wrappedBuffer(wheel, off, n)));
            plain.accept(wheel, off, n);
        }
        WheelInspection a = declared.finish("demo-pkg", "1.2.0", null);
        WheelInspection b = plain.finish("demo-pkg", "1.2.0", null);
        assertEquals(sha256(wheel), a.sha256Hex());
        assertEquals(b, a);
    }

    @Test
    void randomChunksOfCopiedBuffers() throws Exception {
        byte[] wheel = sampleWheel();
        Random rnd = new Random(42);
        WheelStreamVerifier v = new WheelStreamVerifier(DEFAULT);
        int off = 0;
        while (off < wheel.length) {
            int n = Math.min(1 + rnd.nextInt(3000), wheel.length - off);
            byte[] copy = java.util.Arrays.copyOfRange(wheel, off, off + n);
            v.accept(Buffer.buffer(copy));
            off += n;
        }
        assertEquals(sha256(wheel), v.finish("demo_pkg", "1.2.0", null).sha256Hex());
    }

    @Test
    void compositeAndDirectBuffers() throws Exception {
        byte[] wheel = sampleWheel();
        WheelStreamVerifier v = new WheelStreamVerifier(DEFAULT);
        int off = 0;
        int i = 0;
        while (off < wheel.length) {
            int n = Math.min(5000, wheel.length - off);
            int half = n / 2;
            ByteBuf chunk;
            if (i++ % 2 == 0) {
                ByteBuf direct = Unpooled.directBuffer(n - half);
                direct.writeBytes(wheel, off + half, n - half);
                chunk = Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(wheel, off, half), direct);
            } else {
                chunk = Unpooled.wrappedBuffer(
                        Unpooled.wrappedBuffer(wheel, off, half), Unpooled.wrappedBuffer(wheel, off + half, n - half));
            }
            assertTrue(chunk.nioBufferCount() >= 1);
            Buffer buffer = Buffer.buffer(chunk);
            v.accept(buffer);
            assertEquals(n, buffer.length(), "the chunk must not be consumed");
            off += n;
        }
        WheelInspection result = v.finish("demo_pkg", "1.2.0", null);
        assertEquals(sha256(wheel), result.sha256Hex());
        assertEquals("demo", result.packageName());
    }

    @Test
    void bufferWithReaderIndexOnlyContributesReadableBytes() throws Exception {
        byte[] wheel = sampleWheel();
        ByteBuf buf = Unpooled.wrappedBuffer(concat(utf8("JUNK"), wheel));
        buf.readerIndex(4);
        WheelStreamVerifier v = new WheelStreamVerifier(DEFAULT);
        v.accept(Buffer.buffer(buf));
        assertEquals(sha256(wheel), v.finish("demo_pkg", "1.2.0", null).sha256Hex());
    }

    @Test
    void topLevelTxtStored() throws Exception {
        byte[] wheel = TestZips.wheel("demo", "1.0")
                .stored("a/__init__.py", "")
                .stored("b/__init__.py", "")
                .stored("demo-1.0.dist-info/top_level.txt", "\n  b  \r\n\n")
                .build();
        assertEquals("b", inspect(wheel, "demo", "1.0", null).packageName());
    }

    @Test
    void inferredFromSingleInitDirectoryWithoutTopLevelTxt() throws Exception {
        byte[] wheel = TestZips.wheel("demo", "1.0")
                .stored("mypkg/__init__.py", "")
                .stored("mypkg/sub/__init__.py", "")
                .stored("mypkg/mod.py", "")
                .stored("README.txt", "hi")
                .build();
        assertEquals("mypkg", inspect(wheel, "demo", "1.0", null).packageName());
    }

    @Test
    void nullWhenTwoCandidates() throws Exception {
        byte[] wheel = TestZips.wheel("demo", "1.0")
                .stored("one/__init__.py", "")
                .stored("two/__init__.py", "")
                .build();
        assertNull(inspect(wheel, "demo", "1.0", null).packageName());
    }

    @Test
    void topLevelTxtWithSeveralLinesFallsBackToInitRule() throws Exception {
        byte[] wheel = TestZips.wheel("demo", "1.0")
                .stored("one/__init__.py", "")
                .deflated("demo-1.0.dist-info/top_level.txt", "one\ntwo\n")
                .build();
        assertEquals("one", inspect(wheel, "demo", "1.0", null).packageName());
    }

    @Test
    void oversizedTopLevelTxtIsIgnored() throws Exception {
        byte[] wheel = TestZips.wheel("demo", "1.0")
                .stored("one/__init__.py", "")
                .deflated("demo-1.0.dist-info/top_level.txt", "x" + " ".repeat(1024 * 1024))
                .build();
        assertEquals("one", inspect(wheel, "demo", "1.0", null).packageName());
    }

    @Test
    void topLevelTxtOfAnotherDirectoryIsIgnored() throws Exception {
        byte[] wheel = TestZips.wheel("demo", "1.0")
                .stored("one/__init__.py", "")
                .stored("other-1.0.data/top_level.txt", "evil\n")
                .build();
        assertEquals("one", inspect(wheel, "demo", "1.0", null).packageName());
    }

    @Test
    void windowGrowsLazily() throws Exception {
        byte[] wheel = TestZips.wheel("demo", "1.0")
                .stored("p/__init__.py", random(100 * 1024, 3))
                .build();
        WheelStreamVerifier v = feedBytes(wheel, DEFAULT, 4096);
        assertTrue(v.windowAllocatedBytes() <= 256 * 1024, "allocated " + v.windowAllocatedBytes());
        v.finish("demo", "1.0", null);
        assertEquals(0, v.windowAllocatedBytes());
    }

    @Test
    void zipCommentIsAllowed() throws Exception {
        byte[] wheel = TestZips.wheel("demo", "1.0")
                .stored("p/__init__.py", "")
                .comment("PK\u0005\u0006 a comment that looks like an EOCD signature " + "x".repeat(1000))
                .build();
        assertEquals("p", inspect(wheel, "demo", "1.0", null).packageName());
    }

    @Test
    void lifecycle() throws Exception {
        WheelStreamVerifier v = new WheelStreamVerifier(DEFAULT);
        assertThrows(IllegalStateException.class, v::digest);
        byte[] wheel = sampleWheel();
        v.accept(wheel, 0, wheel.length);
        v.finish("demo_pkg", "1.2.0", null);
        assertThrows(IllegalStateException.class, () -> v.accept(new byte[1], 0, 1));
        assertThrows(IllegalStateException.class, () -> v.finish("demo_pkg", "1.2.0", null));
        assertThrows(IllegalArgumentException.class, () -> new WheelStreamVerifier(0));
    }

    @Test
    void digestIsAvailableAfterRejection() throws Exception {
        byte[] junk = random(1000, 9);
        WheelStreamVerifier v = feedBytes(junk, DEFAULT, 100);
        assertThrows(NotAWheelException.class, () -> v.finish("demo", "1.0", null));
        assertEquals(sha256(junk), HexFormat.of().formatHex(v.digest()));
    }

    // ---------------------------------------------------------------- large archives and the tail window

    @Test
    void distInfoAtTheEndOfALargeArchiveWithSmallWindow() throws Exception {
        byte[] wheel = new TestZips.ZipBuilder()
                .stored("bulk/blob.bin", random(3 * 1024 * 1024, 5))
                .stored("bulk/__init__.py", "")
                .deflated("demo-2.0.dist-info/METADATA", "Name: demo\n")
                .deflated("demo-2.0.dist-info/top_level.txt", "bulk\n")
                .build();
        WheelStreamVerifier v = feedBytes(wheel, SMALL_WINDOW, 65536);
        WheelInspection result = v.finish("demo", "2.0", null);
        assertEquals("bulk", result.packageName());
        assertEquals(sha256(wheel), result.sha256Hex());
        assertTrue(v.digest().length == 32);
    }

    @Test
    void centralDirectoryBiggerThanTheLimit() {
        TestZips.ZipBuilder zip = TestZips.wheel("demo", "1.0");
        String longName = "d/" + "n".repeat(1000);
        for (int i = 0; i < 300; i++) { // ~ 300 KiB of central directory
            zip.stored(longName + i, "");
        }
        NotAWheelException e = rejected(zip.build(), SMALL_WINDOW, "demo", "1.0");
        assertEquals("central directory larger than the " + SMALL_WINDOW + "-byte limit", e.getMessage());
    }

    @Test
    void topLevelTxtBeforeTheWindowFallsBackToInitRule() throws Exception {
        byte[] wheel = new TestZips.ZipBuilder()
                .deflated("demo-1.0.dist-info/top_level.txt", "fromtxt\n")
                .stored("blob.bin", random(1024 * 1024, 6))
                .stored("pkgdir/__init__.py", "")
                .deflated("demo-1.0.dist-info/METADATA", "Name: demo\n")
                .build();
        assertEquals("pkgdir", inspect(wheel, SMALL_WINDOW, "demo", "1.0", null).packageName());
        assertEquals("fromtxt", inspect(wheel, DEFAULT, "demo", "1.0", null).packageName());
    }

    // ---------------------------------------------------------------- not zips, wrong wheels

    @Test
    void notZipArchives() {
        for (byte[] b : new byte[][] {
            random(200_000, 7),
            new byte[0],
            new byte[10],
            utf8("<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>\n"),
            new byte[22]
        }) {
            NotAWheelException e = rejected(b, "demo", "1.0");
            assertTrue(
                    e.getMessage().startsWith("not a zip archive: no end-of-central-directory record in the last "),
                    e.getMessage());
        }
        assertEquals(
                "not a zip archive: no end-of-central-directory record in the last 65557 bytes",
                rejected(random(200_000, 7), "demo", "1.0").getMessage());
    }

    @Test
    void truncatedWheelIsNotAZip() {
        byte[] wheel = sampleWheel();
        byte[] cut = java.util.Arrays.copyOf(wheel, wheel.length - 5);
        assertMessageContains(rejected(cut, "demo_pkg", "1.2.0"), "not a zip archive");
    }

    @Test
    void trailingGarbageIsNotAZip() {
        assertMessageContains(
                rejected(concat(sampleWheel(), utf8("trailing")), "demo_pkg", "1.2.0"), "not a zip archive");
    }

    @Test
    void prependedDataIsRejected() {
        byte[] sfx = concat(random(1000, 11), sampleWheel());
        assertThrows(
                NotAWheelException.class, () -> feedBytes(sfx, DEFAULT, 512).finish("demo_pkg", "1.2.0", null));
    }

    @Test
    void zipWithoutDistInfo() {
        byte[] zip = new TestZips.ZipBuilder().stored("pkg/__init__.py", "").build();
        assertEquals(
                "no demo-1.0.dist-info directory matching the file name",
                rejected(zip, "demo", "1.0").getMessage());
    }

    @Test
    void emptyZip() {
        byte[] zip = new TestZips.ZipBuilder().build();
        assertEquals(22, zip.length);
        assertMessageContains(rejected(zip, "demo", "1.0"), "no demo-1.0.dist-info directory");
    }

    @Test
    void distInfoWithAnotherVersion() {
        byte[] wheel = TestZips.wheel("demo", "1.1").build();
        assertEquals(
                "no demo-1.0.dist-info directory matching the file name (found 'demo-1.1.dist-info')",
                rejected(wheel, "demo", "1.0").getMessage());
    }

    @Test
    void distInfoWithAnotherName() {
        byte[] wheel = TestZips.wheel("other", "1.0").build();
        assertMessageContains(rejected(wheel, "demo", "1.0"), "(found 'other-1.0.dist-info')");
    }

    @Test
    void distNamesAreNormalisedAndVersionsCaseInsensitive() throws Exception {
        byte[] wheel = TestZips.wheel("My.Pkg", "1.0.0RC1")
                .stored("my_pkg/__init__.py", "")
                .build();
        assertEquals("my_pkg", inspect(wheel, "my_pkg", "1.0.0rc1", null).packageName());
        assertEquals("my_pkg", inspect(wheel, "MY--pkg", "1.0.0rc1", null).packageName());
        assertEquals("my_pkg", inspect(wheel, "my._-pkg", "1.0.0RC1", null).packageName());
        assertThrows(NotAWheelException.class, () -> inspect(wheel, "mypkg", "1.0.0rc1", null));
    }

    @Test
    void twoDistInfoDirectoriesAreRejected() {
        byte[] wheel = TestZips.wheel("demo", "1.0")
                .stored("evil-6.6.dist-info/METADATA", "")
                .build();
        assertMessageContains(rejected(wheel, "demo", "1.0"), "more than one .dist-info directory");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "../evil.py",
                "pkg/../../evil.py",
                "pkg/..",
                "/abs/evil.py",
                "C:\\evil.py",
                "c:/evil.py",
                "pkg\\evil.py",
                "\\evil.py",
                "pkg/nul\0.py"
            })
    void unsafeEntryNames(String name) {
        byte[] wheel = TestZips.wheel("demo", "1.0").stored(name, "x").build();
        NotAWheelException e = rejected(wheel, "demo", "1.0");
        assertTrue(e.getMessage().matches("entry name '.*' points outside the archive"), e.getMessage());
        assertTrue(e.getMessage().chars().allMatch(c -> c >= 0x20 && c < 0x7F), e.getMessage());
    }

    @Test
    void entryNamesInMessagesAreSanitisedAndTruncated() {
        String name = "../\u001b[31m\u00e9" + "z".repeat(500);
        byte[] wheel = TestZips.wheel("demo", "1.0").stored(name, "x").build();
        String message = rejected(wheel, "demo", "1.0").getMessage();
        assertTrue(message.chars().allMatch(c -> c >= 0x20 && c < 0x7F), message);
        assertTrue(message.length() < 160, message);
        assertTrue(message.startsWith("entry name '../?[31m?zzz"), message);
    }

    @Test
    void harmlessDotNamesAreAccepted() throws Exception {
        byte[] wheel = TestZips.wheel("demo", "1.0")
                .stored("pkg/__init__.py", "")
                .stored("pkg/..hidden", "")
                .stored("pkg/./x.py", "")
                .stored("pkg/a:b.txt", "")
                .stored("pkg/sub/", "")
                .build();
        assertEquals("pkg", inspect(wheel, "demo", "1.0", null).packageName());
    }

    // ---------------------------------------------------------------- hand-crafted hostile archives

    @Test
    void zip64MarkersWithoutZip64Record() {
        byte[] b = concat(random(100, 1), TestZips.eocd(0xFFFF, 0xFFFFFFFFL, 0xFFFFFFFFL, 0));
        assertMessageContains(rejected(b, "demo", "1.0"), "zip64");
    }

    @Test
    void zip64RecordClaimingFiveMillionEntries() {
        byte[] record = TestZips.zip64Eocd(5_000_000, 0, 0);
        byte[] b = concat(record, TestZips.zip64Locator(0), TestZips.eocd(0xFFFF, 0xFFFFFFFFL, 0xFFFFFFFFL, 0));
        assertEquals("more than 100000 entries", rejected(b, "demo", "1.0").getMessage());
        byte[] absurd = concat(
                TestZips.zip64Eocd(-1L, -1L, -1L),
                TestZips.zip64Locator(0),
                TestZips.eocd(0xFFFF, 0xFFFFFFFFL, 0xFFFFFFFFL, 0));
        assertEquals("more than 100000 entries", rejected(absurd, "demo", "1.0").getMessage());
    }

    @Test
    void zip64RecordWithAbsurdSize() {
        byte[] b = concat(
                TestZips.zip64Eocd(3, Long.MAX_VALUE, 0),
                TestZips.zip64Locator(0),
                TestZips.eocd(0xFFFF, 0xFFFFFFFFL, 0xFFFFFFFFL, 0));
        assertMessageContains(rejected(b, "demo", "1.0"), "central directory larger than the");
    }

    @Test
    void zip64LocatorPointingAnywhere() {
        for (long target : new long[] {-1L, Long.MAX_VALUE, 5, 1_000_000}) {
            byte[] b = concat(
                    random(200, 3), TestZips.zip64Locator(target), TestZips.eocd(0xFFFF, 0xFFFFFFFFL, 0xFFFFFFFFL, 0));
            assertThrows(
                    NotAWheelException.class, () -> feedBytes(b, DEFAULT, 64).finish("demo", "1.0", null));
        }
    }

    @Test
    void centralDirectoryOffsetPastTheEnd() {
        byte[] header = TestZips.centralHeader("demo-1.0.dist-info/METADATA", 27, 0);
        byte[] b = concat(header, TestZips.eocd(1, header.length, 1_000_000, 0));
        assertEquals(
                "central directory points outside the archive",
                rejected(b, "demo", "1.0").getMessage());
        byte[] overlapping = concat(header, TestZips.eocd(1, header.length, 10, 0));
        assertEquals(
                "central directory points outside the archive",
                rejected(overlapping, "demo", "1.0").getMessage());
    }

    @Test
    void centralDirectoryOffsetBeforeZero() {
        byte[] header = TestZips.centralHeader("demo-1.0.dist-info/METADATA", 27, 0);
        long recordAt = header.length;
        byte[] b = concat(
                header,
                TestZips.zip64Eocd(1, header.length, -header.length),
                TestZips.zip64Locator(recordAt),
                TestZips.eocd(0xFFFF, 0xFFFFFFFFL, 0xFFFFFFFFL, 0));
        assertEquals(
                "central directory points outside the archive",
                rejected(b, "demo", "1.0").getMessage());
    }

    @Test
    void handCraftedCentralDirectoryIsParsed() throws Exception {
        // sanity check of the hand-made records: a well-formed directory is accepted
        byte[] header = TestZips.centralHeader("demo-1.0.dist-info/METADATA", 27, 0);
        byte[] b = concat(header, TestZips.eocd(1, header.length, 0, 0));
        assertEquals(1, inspect(b, "demo", "1.0", null).entryCount());
        byte[] zip64 = concat(
                header,
                TestZips.zip64Eocd(1, header.length, 0),
                TestZips.zip64Locator(header.length),
                TestZips.eocd(0xFFFF, 0xFFFFFFFFL, 0xFFFFFFFFL, 0));
        assertEquals(1, inspect(zip64, "demo", "1.0", null).entryCount());
    }

    @Test
    void nameLengthRunningPastTheDirectory() {
        byte[] header = TestZips.centralHeader("demo-1.0.dist-info/METADATA", 0xFFFF, 0);
        byte[] b = concat(random(70_000, 4), header, TestZips.eocd(1, header.length, 70_000, 0));
        assertEquals(
                "malformed zip: central directory header runs past the end of the directory",
                rejected(b, "demo", "1.0").getMessage());
    }

    @Test
    void entryCountMismatch() {
        byte[] header = TestZips.centralHeader("demo-1.0.dist-info/METADATA", 27, 0);
        byte[] b = concat(header, TestZips.eocd(2, header.length, 0, 0));
        assertMessageContains(rejected(b, "demo", "1.0"), "malformed zip");
    }

    @Test
    void commentLengthInconsistentWithTheEnd() {
        byte[] header = TestZips.centralHeader("demo-1.0.dist-info/METADATA", 27, 0);
        byte[] b = concat(header, TestZips.eocd(1, header.length, 0, 5));
        assertMessageContains(rejected(b, "demo", "1.0"), "not a zip archive");
    }

    @Test
    void randomCorruptionOnlyEverYieldsCheckedExceptions() throws Exception {
        byte[] wheel = sampleWheel();
        Random rnd = new Random(1234);
        for (int round = 0; round < 3000; round++) {
            byte[] b = wheel.clone();
            int flips = 1 + rnd.nextInt(4);
            for (int i = 0; i < flips; i++) {
                // mostly hit the central directory and end records, where parsing happens
                int pos = rnd.nextInt(4) == 0
                        ? rnd.nextInt(b.length)
                        : b.length - 1 - rnd.nextInt(Math.min(b.length, 700));
                b[pos] = rnd.nextInt(3) == 0 ? (byte) 0xFF : (byte) rnd.nextInt(256);
            }
            WheelStreamVerifier v = feedBytes(b, rnd.nextBoolean() ? DEFAULT : 4096, 1 + rnd.nextInt(5000));
            try {
                v.finish("demo_pkg", "1.2.0", rnd.nextBoolean() ? null : "demo");
            } catch (NotAWheelException | PackageNotInWheelException expected) {
                // fine
            } catch (Throwable t) {
                fail("round " + round + " threw " + t, t);
            }
        }
    }

    // ---------------------------------------------------------------- real zip64

    private static byte[] manyEntries(int count) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(count * 100);
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.setLevel(0);
            zip.putNextEntry(new ZipEntry("demo-1.0.dist-info/METADATA"));
            zip.write(utf8("Name: demo\n"));
            zip.putNextEntry(new ZipEntry("demo-1.0.dist-info/top_level.txt"));
            zip.write(utf8("p\n"));
            zip.putNextEntry(new ZipEntry("p/__init__.py"));
            for (int i = 3; i < count; i++) {
                ZipEntry e = new ZipEntry("p/" + i);
                e.setMethod(ZipEntry.STORED);
                e.setSize(0);
                e.setCompressedSize(0);
                e.setCrc(0);
                zip.putNextEntry(e);
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void realZip64ArchiveIsAccepted() throws Exception {
        byte[] zip = manyEntries(70_000);
        ByteBuffer tail = ByteBuffer.wrap(zip, zip.length - 22, 22).slice().order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xFFFF, tail.getShort(10) & 0xFFFF, "ZipOutputStream should have written zip64 records");
        WheelInspection result = inspect(zip, "demo", "1.0", null);
        assertEquals(70_000, result.entryCount());
        assertEquals("p", result.packageName());
    }

    @Test
    void archiveWithTooManyEntriesIsRejected() throws Exception {
        byte[] zip = manyEntries(100_001);
        assertEquals(
                "more than 100000 entries",
                rejected(zip, 16 * 1024 * 1024, "demo", "1.0").getMessage());
    }

    // ---------------------------------------------------------------- requested package_name

    private static byte[] packagesWheel() {
        return TestZips.wheel("demo", "1.0")
                .stored("pkg/__init__.py", "")
                .stored("pkg/sub/__init__.py", "")
                .stored("pkg/notpkg/mod.py", "")
                .stored("single.py", "")
                .stored("ns/sub/__init__.py", "")
                .deflated("demo-1.0.dist-info/top_level.txt", "ns\npkg\nsingle\n")
                .build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"pkg", "pkg.sub", "single", "ns", "ns.sub"})
    void requestedPackagePresent(String requested) throws Exception {
        assertEquals(
                requested, inspect(packagesWheel(), "demo", "1.0", requested).packageName());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "nope",
                "pkg.missing",
                "pkg.notpkg",
                "sub",
                "single.x",
                "pkg.",
                ".pkg",
                "1pkg",
                "pkg/sub",
                "",
                "pkg..sub",
                "demo-1.0.dist-info"
            })
    void requestedPackageAbsent(String requested) {
        WheelStreamVerifier v = feedBytes(packagesWheel(), DEFAULT, 8192);
        PackageNotInWheelException e =
                assertThrows(PackageNotInWheelException.class, () -> v.finish("demo", "1.0", requested));
        assertTrue(e.getMessage().startsWith("package_name '"), e.getMessage());
        assertTrue(e.getMessage().endsWith("' is not a top-level package of the wheel"), e.getMessage());
    }

    @Test
    void requestedPackageWithoutTopLevelTxt() throws Exception {
        byte[] wheel = TestZips.wheel("demo", "1.0")
                .stored("a/__init__.py", "")
                .stored("b/c/__init__.py", "")
                .build();
        assertEquals("a", inspect(wheel, "demo", "1.0", "a").packageName());
        assertThrows(PackageNotInWheelException.class, () -> inspect(wheel, "demo", "1.0", "b.c"));
        assertThrows(PackageNotInWheelException.class, () -> inspect(wheel, "demo", "1.0", "b"));
    }

    @Test
    void wheelErrorsWinOverPackageErrors() {
        byte[] wheel = TestZips.wheel("demo", "1.1").stored("a/__init__.py", "").build();
        WheelStreamVerifier v = feedBytes(wheel, DEFAULT, 8192);
        assertThrows(NotAWheelException.class, () -> v.finish("demo", "1.0", "nope"));
    }

    // ---------------------------------------------------------------- constantTimeEquals

    @Test
    void constantTimeEquals() throws Exception {
        String a = sha256(utf8("a"));
        String b = sha256(utf8("b"));
        assertTrue(WheelStreamVerifier.constantTimeEquals(a, a));
        assertTrue(WheelStreamVerifier.constantTimeEquals(a, a.toUpperCase(java.util.Locale.ROOT)));
        assertFalse(WheelStreamVerifier.constantTimeEquals(a, b));
        assertFalse(WheelStreamVerifier.constantTimeEquals(a, a.substring(2)));
        assertFalse(WheelStreamVerifier.constantTimeEquals(a, null));
        assertFalse(WheelStreamVerifier.constantTimeEquals(null, null));
        assertFalse(WheelStreamVerifier.constantTimeEquals("zz", "zz"));
        assertFalse(WheelStreamVerifier.constantTimeEquals("abc", "abc"));
    }
}
