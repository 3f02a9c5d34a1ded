package dev.providers.registry.wheel;

import dev.providers.registry.identity.Segments;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies a Python wheel while it streams past, in one pass and in bounded memory.
 *
 * <p>Every chunk goes into an incremental SHA-256 (without copying the chunk) and into a
 * {@link TailWindow} that retains only the last {@code maxCentralDirectoryBytes + 65,633} bytes
 * (the central directory plus room for the end records and a maximal zip comment). When the stream
 * ends, {@link #finish} checks that the retained tail holds a well-formed zip central directory,
 * that no entry name escapes the archive, that a {@code {dist}-{version}.dist-info/} directory
 * matches the expected distribution and version, and resolves the package name. Member data is never
 * decompressed except {@code top_level.txt} of that dist-info (64 KiB output cap), and only when it
 * happens to lie in the tail window, and its {@code METADATA}, whose compressed bytes a
 * {@link CoreMetadataCapture} keeps as they pass (1 MiB cap) and which the central directory then confirms.
 *
 * <p>Not thread-safe: use one instance per body, from one thread at a time ({@link WheelDigester} hands a large
 * body's chunks to a pool thread, ordered by its hand-offs, and reports the end on the event loop once all are in).
 */
public final class WheelStreamVerifier {

    /** Production default for the central-directory limit: 8 MiB. */
    public static final int DEFAULT_MAX_CENTRAL_DIRECTORY_BYTES = 8 * 1024 * 1024;
    /** Upper bound accepted by the constructor (keeps the window well inside an int-indexed array). */
    public static final int MAX_CENTRAL_DIRECTORY_BYTES_LIMIT = 1024 * 1024 * 1024;
    /** Archives with more entries than this are rejected. */
    public static final int MAX_ENTRIES = ZipTailReader.MAX_ENTRIES;
    /** Output cap when inflating {@code top_level.txt}. */
    static final int TOP_LEVEL_TXT_CAP = 64 * 1024;

    private static final int MAX_NAME_IN_MESSAGE = 100;
    private static final String DIST_INFO_SUFFIX = ".dist-info";
    private static final String INIT_PY = "__init__.py";

    private final int maxCentralDirectoryBytes;
    private final MessageDigest sha256;
    private final CoreMetadataCapture coreMetadata = new CoreMetadataCapture();
    private TailWindow window;
    private long size;
    /** Bytes before this stream offset cannot reach the tail window (the stream's length is declared). */
    private long storeFrom;

    private byte[] digest;
    private byte[] scratch; // only for the rare ByteBuf without NIO buffers

    public WheelStreamVerifier() {
        this(DEFAULT_MAX_CENTRAL_DIRECTORY_BYTES);
    }

    /**
     * @param maxCentralDirectoryBytes largest central directory accepted, in bytes (production: 8 MiB);
     *                                 the tail window holds this plus 65,633 bytes, allocated lazily
     */
    public WheelStreamVerifier(int maxCentralDirectoryBytes) {
        if (maxCentralDirectoryBytes <= 0 || maxCentralDirectoryBytes > MAX_CENTRAL_DIRECTORY_BYTES_LIMIT) {
            throw new IllegalArgumentException("maxCentralDirectoryBytes must be in 1.."
                    + MAX_CENTRAL_DIRECTORY_BYTES_LIMIT + ": " + maxCentralDirectoryBytes);
        }
        this.maxCentralDirectoryBytes = maxCentralDirectoryBytes;
        this.window = new TailWindow(maxCentralDirectoryBytes + ZipTailReader.TRAILER_SLACK);
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e); // mandatory in every JRE
        }
    }

    /**
     * Declares the stream's total length (the body's {@code Content-Length}), before the first byte. Bytes that
     * lie before the last {@code window capacity} bytes of the stream are then hashed but not copied into the tail
     * window, and the window is sized once. The carrier (the fetch) fails a body whose length differs from the declared one, so
     * a wrong declaration never reaches {@link #finish}; should it, the inspection fails as a malformed zip.
     */
    public void expectLength(long length) {
        ensureOpen();
        if (length < 0 || size != 0) {
            return;
        }
        storeFrom = Math.max(0, length - window.capacity());
        window.reserve(length - storeFrom);
    }

    /**
     * Feeds the readable bytes of {@code chunk}. The bytes are hashed straight from the chunk's NIO
     * views (composite buffers included) and only the tail is copied into the window. The chunk is
     * neither modified nor released.
     *
     * <p>{@code Buffer.getByteBuf()} is deprecated in Vert.x 4.5 (it moves to {@code BufferInternal} in
     * Vert.x 5) but is the only zero-copy access in 4.x; it returns a slice, not a copy.
     */
    @SuppressWarnings("deprecation")
    public void accept(Buffer chunk) {
        Objects.requireNonNull(chunk, "chunk");
        ensureOpen();
        ByteBuf buf = chunk.getByteBuf();
        if (buf.readableBytes() == 0) {
            return;
        }
        if (buf.nioBufferCount() > 0) {
            for (ByteBuffer view : buf.nioBuffers()) {
                consume(view);
            }
        } else {
            // No NIO representation: copy through a small scratch array rather than the whole chunk.
            if (scratch == null) {
                scratch = new byte[8192];
            }
            int index = buf.readerIndex();
            int end = buf.writerIndex();
            while (index < end) {
                int n = Math.min(scratch.length, end - index);
                buf.getBytes(index, scratch, 0, n);
                accept(scratch, 0, n);
                index += n;
            }
        }
    }

    /** Feeds {@code len} bytes of {@code b} starting at {@code off}. */
    public void accept(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        sha256.update(b, off, len);
        coreMetadata.accept(b, off, len);
        if (size + len <= storeFrom) {
            window.skip(len);
        } else {
            window.write(b, off, len);
        }
        size += len;
    }

    private void consume(ByteBuffer view) {
        int n = view.remaining();
        sha256.update(view.duplicate());
        coreMetadata.accept(view);
        if (size + n <= storeFrom) {
            window.skip(n); // before the tail: hashed only
        } else {
            window.write(view.duplicate());
        }
        size += n;
    }

    /** Bytes fed so far. */
    public long size() {
        return size;
    }

    /** Bytes currently allocated by the tail window (0 after finish); for tests and metrics. */
    int windowAllocatedBytes() {
        return window == null ? 0 : window.allocated();
    }

    /** The SHA-256 of all bytes fed; available once {@link #finish} has been called (even if it threw). */
    public byte[] digest() {
        if (digest == null) {
            throw new IllegalStateException("digest() is only available after finish()");
        }
        return digest.clone();
    }

    /**
     * Completes the digest and inspects the archive from the tail window. Can be called once; the
     * window is released afterwards.
     *
     * @param expectedDistribution  distribution name from the wheel file name (normalised before comparison)
     * @param expectedPep440Version version from the wheel file name (compared case-insensitively)
     * @param requestedPackageName  dotted Python package name requested by the publisher, or {@code null} to infer one
     * @throws NotAWheelException         if the stream is not an acceptable wheel
     * @throws PackageNotInWheelException if {@code requestedPackageName} is not a package of the wheel
     */
    public WheelInspection finish(
            String expectedDistribution, String expectedPep440Version, String requestedPackageName)
            throws NotAWheelException, PackageNotInWheelException {
        Objects.requireNonNull(expectedDistribution, "expectedDistribution");
        Objects.requireNonNull(expectedPep440Version, "expectedPep440Version");
        ensureOpen();
        digest = sha256.digest();
        TailWindow tail = window;
        window = null; // finished: no more input, and the window can be collected once inspected
        try {
            return inspect(tail, expectedDistribution, expectedPep440Version, requestedPackageName);
        } catch (RuntimeException e) {
            // Safety net: whatever a hostile archive triggers, callers only ever see NotAWheelException.
            String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new NotAWheelException("malformed zip: " + sanitize(detail));
        }
    }

    private void ensureOpen() {
        if (window == null) {
            throw new IllegalStateException("finish() has already been called");
        }
    }

    private WheelInspection inspect(
            TailWindow tail, String expectedDistribution, String expectedVersion, String requestedPackageName)
            throws NotAWheelException, PackageNotInWheelException {
        ZipTailReader reader = new ZipTailReader(tail, maxCentralDirectoryBytes);
        ZipTailReader.CentralDirectory cd = reader.locate();
        Scan scan = new Scan(
                WheelFileName.normalizeDistribution(expectedDistribution), expectedVersion, requestedPackageName);
        int entries = reader.forEachEntry(cd, scan);

        if (scan.distInfoDirs.size() > 1) {
            List<String> quoted = new ArrayList<>();
            scan.distInfoDirs.forEach(d -> quoted.add("'" + sanitize(d) + "'"));
            throw new NotAWheelException("more than one .dist-info directory: " + String.join(", ", quoted));
        }
        if (scan.matchingDistInfo == null) {
            String message = "no " + expectedDistribution + "-" + expectedVersion
                    + ".dist-info directory matching the file name";
            if (!scan.distInfoDirs.isEmpty()) {
                message += " (found '" + sanitize(scan.distInfoDirs.iterator().next()) + "')";
            }
            throw new NotAWheelException(sanitize(message, Integer.MAX_VALUE));
        }

        TopLevelTxt topLevel = new TopLevelTxt(reader, cd, scan.topLevelTxt);
        String packageName = requestedPackageName != null
                ? checkRequested(requestedPackageName, scan, topLevel)
                : infer(scan, topLevel);
        byte[] metadata = scan.metadata == null ? null : coreMetadata.extract(scan.metadata);
        return new WheelInspection(
                HexFormat.of().formatHex(digest),
                size,
                packageName,
                entries,
                metadata == null ? null : CoreMetadata.of(metadata));
    }

    private static String checkRequested(String requested, Scan scan, TopLevelTxt topLevel)
            throws PackageNotInWheelException {
        boolean ok = false;
        if (Segments.isDottedPythonIdentifier(requested)) {
            String first = scan.requestedSegments[0];
            boolean dotted = scan.requestedSegments.length > 1;
            boolean firstIsPackage =
                    scan.requestedTopHasInit || topLevel.lines().contains(first);
            ok = dotted ? firstIsPackage && scan.requestedPathHasInit : firstIsPackage || scan.requestedModuleExists;
        }
        if (!ok) {
            throw new PackageNotInWheelException(
                    "package_name '" + sanitize(requested) + "' is not a top-level package of the wheel");
        }
        return requested;
    }

    private static String infer(Scan scan, TopLevelTxt topLevel) {
        Set<String> lines = topLevel.lines();
        if (lines.size() == 1) {
            String only = lines.iterator().next();
            if (Segments.isDottedPythonIdentifier(only)) {
                return only;
            }
        }
        return scan.topLevelInitDirs.size() == 1
                ? scan.topLevelInitDirs.iterator().next()
                : null;
    }

    /** Lazily read, parsed {@code top_level.txt} of the matching dist-info; empty when absent or unreadable. */
    private static final class TopLevelTxt {
        private final ZipTailReader reader;
        private final ZipTailReader.CentralDirectory cd;
        private final ZipTailReader.Entry entry;
        private Set<String> lines;

        TopLevelTxt(ZipTailReader reader, ZipTailReader.CentralDirectory cd, ZipTailReader.Entry entry) {
            this.reader = reader;
            this.cd = cd;
            this.entry = entry;
        }

        Set<String> lines() {
            if (lines == null) {
                lines = new LinkedHashSet<>();
                byte[] content = entry == null ? null : reader.readSmallMember(entry, cd, TOP_LEVEL_TXT_CAP);
                if (content != null) {
                    for (String line : new String(content, StandardCharsets.UTF_8).split("\r\n|\r|\n")) {
                        if (!line.isBlank()) {
                            lines.add(line.strip());
                        }
                    }
                }
            }
            return lines;
        }
    }

    /**
     * Per-entry checks and the little state kept from the central directory: never the full list of
     * names, only the dist-info directories (at most two), the matching top_level.txt header, at most
     * two top-level packages and three flags about the requested package.
     */
    private static final class Scan implements ZipTailReader.EntryVisitor {
        private final String expectedDist;
        private final String expectedVersion;
        private final String[] requestedSegments;
        private final String requestedTopInit;
        private final String requestedPathInit;
        private final String requestedModule;

        final Set<String> distInfoDirs = new LinkedHashSet<>();
        final Set<String> topLevelInitDirs = new LinkedHashSet<>();
        String matchingDistInfo;
        ZipTailReader.Entry topLevelTxt;
        ZipTailReader.Entry metadata;
        boolean requestedTopHasInit;
        boolean requestedPathHasInit;
        boolean requestedModuleExists;

        Scan(String expectedDist, String expectedVersion, String requested) {
            this.expectedDist = expectedDist;
            this.expectedVersion = expectedVersion;
            if (requested != null && Segments.isDottedPythonIdentifier(requested)) {
                requestedSegments = requested.split("\\.");
                requestedTopInit = requestedSegments[0] + "/" + INIT_PY;
                requestedPathInit = String.join("/", requestedSegments) + "/" + INIT_PY;
                requestedModule = requestedSegments.length == 1 ? requested + ".py" : null;
            } else {
                requestedSegments = null;
                requestedTopInit = null;
                requestedPathInit = null;
                requestedModule = null;
            }
        }

        @Override
        public void visit(ZipTailReader.Entry entry) throws NotAWheelException {
            String name = entry.name();
            checkEntryName(name);
            int slash = name.indexOf('/');
            if (slash > 0) {
                String top = name.substring(0, slash);
                String rest = name.substring(slash + 1);
                if (top.endsWith(DIST_INFO_SUFFIX)) {
                    visitDistInfo(top, rest, entry);
                }
                if (rest.equals(INIT_PY) && Segments.isPythonIdentifier(top) && topLevelInitDirs.size() < 2) {
                    topLevelInitDirs.add(top);
                }
            }
            if (requestedSegments != null) {
                requestedTopHasInit |= name.equals(requestedTopInit);
                requestedPathHasInit |= name.equals(requestedPathInit);
                requestedModuleExists |= name.equals(requestedModule);
            }
        }

        private void visitDistInfo(String dir, String rest, ZipTailReader.Entry entry) {
            if (distInfoDirs.size() < 2) {
                distInfoDirs.add(dir);
            }
            if (matchingDistInfo == null && matches(dir)) {
                matchingDistInfo = dir;
            }
            if (dir.equals(matchingDistInfo) && rest.equals("top_level.txt") && topLevelTxt == null) {
                topLevelTxt = entry;
            }
            if (dir.equals(matchingDistInfo) && rest.equals("METADATA") && metadata == null) {
                metadata = entry;
            }
        }

        private boolean matches(String dir) {
            String base = dir.substring(0, dir.length() - DIST_INFO_SUFFIX.length());
            int dash = base.lastIndexOf('-');
            if (dash <= 0 || dash == base.length() - 1) {
                return false;
            }
            return WheelFileName.normalizeDistribution(base.substring(0, dash)).equals(expectedDist)
                    && base.substring(dash + 1).equalsIgnoreCase(expectedVersion);
        }
    }

    /** Rejects names that are absolute, carry a drive letter, contain backslashes or NUL, or have a {@code ..} segment. */
    static void checkEntryName(String name) throws NotAWheelException {
        boolean bad = name.isEmpty()
                || name.charAt(0) == '/'
                || name.indexOf('\\') >= 0
                || name.indexOf('\0') >= 0
                || (name.length() >= 2 && name.charAt(1) == ':' && isAsciiLetter(name.charAt(0)));
        if (!bad) {
            for (String segment : name.split("/", -1)) {
                if (segment.equals("..")) {
                    bad = true;
                    break;
                }
            }
        }
        if (bad) {
            throw new NotAWheelException("entry name '" + sanitize(name) + "' points outside the archive");
        }
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** Printable ASCII only (others become '?'), truncated to 100 characters. */
    static String sanitize(String s) {
        return sanitize(s, MAX_NAME_IN_MESSAGE);
    }

    private static String sanitize(String s, int max) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), max) + 3);
        for (int i = 0; i < s.length() && out.length() < max; i++) {
            char c = s.charAt(i);
            out.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        if (s.length() > max) {
            out.append("...");
        }
        return out.toString();
    }

    /**
     * Compares two hex digests in time independent of where they differ (case-insensitive).
     * Returns {@code false} for {@code null} or non-hex input.
     */
    public static boolean constantTimeEquals(String hexA, String hexB) {
        if (hexA == null || hexB == null) {
            return false;
        }
        byte[] a;
        byte[] b;
        try {
            a = HexFormat.of().parseHex(hexA);
            b = HexFormat.of().parseHex(hexB);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(a, b);
    }
}
