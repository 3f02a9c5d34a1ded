package dev.providers.registry.wheel;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Keeps the compressed bytes of a wheel's {@code *.dist-info/METADATA} member while the wheel streams past, so that
 * its core metadata (PEP 658) is known without a second download and without buffering the wheel.
 *
 * <p>The central directory, which says where that member is and how long it is, comes last; by then the member's
 * bytes have passed. So the local file headers are followed as the bytes arrive: each header gives the name and the
 * compressed size of its data, which is skipped without being looked at, up to the next header. The data of a member
 * named {@code <dir>.dist-info/METADATA} is kept, at most {@link #MAX_BYTES}. A member written with a data
 * descriptor (flag bit 3) has no size in its local header: from there on the next headers are found by searching for
 * the local header signature, and, since such a find may be a false one inside compressed data, a kept candidate is
 * only ever trusted once the central directory confirms it ({@link #extract}: same local header offset; the
 * directory's method, sizes and CRC-32 decide what the bytes are). Memory: at most {@link #MAX_CANDIDATES} captures
 * of {@link #MAX_BYTES}, plus one header's name and extra field (128 KiB at most).
 *
 * <p>Not thread-safe; fed in stream order by {@link WheelStreamVerifier}.
 */
final class CoreMetadataCapture {

    /** Largest METADATA member kept, compressed and inflated alike: 1 MiB. */
    static final int MAX_BYTES = 1024 * 1024;
    /** Candidates kept while searching by signature; a real wheel has one. */
    static final int MAX_CANDIDATES = 2;

    private static final int LOCAL_HEADER_LENGTH = ZipTailReader.LOCAL_HEADER_LENGTH;
    private static final int FLAG_ENCRYPTED = 0x1;
    private static final int FLAG_DATA_DESCRIPTOR = 0x8;
    private static final long U32_MARKER = 0xFFFFFFFFL;
    private static final byte[] SIGNATURE = {'P', 'K', 3, 4};

    private enum State {
        HEADER,
        NAMES,
        SKIP,
        CAPTURE,
        SCAN,
        DONE
    }

    private State state = State.HEADER;
    /** Stream offset of the next byte. */
    private long offset;

    private final byte[] header = new byte[LOCAL_HEADER_LENGTH];
    private int headerFill;
    private long headerOffset;
    /** Headers are found by signature search (after a member with a data descriptor): their sizes are not trusted. */
    private boolean searching;

    private byte[] names;
    private int namesFill;
    private long skipLeft;
    private int signatureMatched;

    private Candidate capturing;
    private final List<Candidate> candidates = new ArrayList<>(MAX_CANDIDATES);

    /** The data of one local header named like a METADATA member, from the byte after its extra field. */
    static final class Candidate {
        final long headerOffset;
        final int capacity;
        byte[] data;
        int length;

        Candidate(long headerOffset, int capacity) {
            this.headerOffset = headerOffset;
            this.capacity = capacity;
            this.data = new byte[Math.min(capacity, 64 * 1024)];
        }

        int room() {
            return capacity - length;
        }

        void append(ByteBuffer chunk, int index, int n) {
            if (length + n > data.length) {
                data = Arrays.copyOf(data, Math.min(capacity, Math.max(length + n, data.length * 2)));
            }
            chunk.get(index, data, length, n);
            length += n;
        }
    }

    void accept(byte[] b, int off, int len) {
        accept(ByteBuffer.wrap(b, off, len));
    }

    /** Reads the chunk's remaining bytes without moving its position. */
    void accept(ByteBuffer chunk) {
        int start = chunk.position();
        int end = chunk.limit();
        int i = start;
        while (i < end && state != State.DONE) {
            switch (state) {
                case HEADER -> {
                    int n = Math.min(LOCAL_HEADER_LENGTH - headerFill, end - i);
                    chunk.get(i, header, headerFill, n);
                    headerFill += n;
                    i += n;
                    if (headerFill == LOCAL_HEADER_LENGTH) {
                        onHeader(offset + (i - start));
                    }
                }
                case NAMES -> {
                    int n = Math.min(names.length - namesFill, end - i);
                    chunk.get(i, names, namesFill, n);
                    namesFill += n;
                    i += n;
                    if (namesFill == names.length) {
                        onNames(offset + (i - start));
                    }
                }
                case SKIP -> {
                    int n = (int) Math.min(skipLeft, end - i);
                    skipLeft -= n;
                    i += n;
                    if (skipLeft == 0) {
                        expectHeader(offset + (i - start));
                    }
                }
                case CAPTURE -> {
                    int n = Math.min(capturing.room(), end - i);
                    capturing.append(chunk, i, n);
                    i += n;
                    if (capturing.room() == 0) {
                        afterCapture();
                    }
                }
                case SCAN -> i = scan(chunk, i, end, offset - start);
                case DONE -> i = end;
            }
        }
        offset += end - start;
    }

    /** Searches for the local header signature; returns the index after it (the header continues) or {@code end}. */
    private int scan(ByteBuffer chunk, int i, int end, long base) {
        while (i < end) {
            byte b = chunk.get(i++);
            if (b == SIGNATURE[signatureMatched]) {
                if (++signatureMatched == SIGNATURE.length) {
                    signatureMatched = 0;
                    System.arraycopy(SIGNATURE, 0, header, 0, SIGNATURE.length);
                    headerFill = SIGNATURE.length;
                    headerOffset = base + i - SIGNATURE.length;
                    state = State.HEADER;
                    return i;
                }
            } else {
                signatureMatched = b == SIGNATURE[0] ? 1 : 0;
            }
        }
        return end;
    }

    private void expectHeader(long at) {
        headerFill = 0;
        headerOffset = at;
        state = State.HEADER;
    }

    private void search() {
        searching = true;
        signatureMatched = 0;
        state = State.SCAN;
    }

    private void onHeader(long afterHeader) {
        if (u32(header, 0) != ZipTailReader.LOCAL_HEADER_SIGNATURE) {
            // The central directory (or anything else) follows the last member: nothing more to follow.
            if (searching) {
                search();
            } else {
                state = State.DONE;
            }
            return;
        }
        names = new byte[u16(header, 26) + u16(header, 28)];
        namesFill = 0;
        state = State.NAMES;
        if (names.length == 0) {
            onNames(afterHeader);
        }
    }

    private void onNames(long dataStart) {
        int flags = u16(header, 6);
        int nameLength = u16(header, 26);
        boolean descriptor = (flags & FLAG_DATA_DESCRIPTOR) != 0;
        long compressed = u32(header, 18);
        if (compressed == U32_MARKER) {
            compressed = zip64CompressedSize(names, nameLength);
        }
        boolean sizeKnown = !descriptor && compressed >= 0;
        String name = new String(names, 0, nameLength, StandardCharsets.UTF_8);
        names = null;
        if (isMetadataName(name)) {
            int capacity = sizeKnown ? (compressed > MAX_BYTES ? -1 : (int) compressed) : MAX_BYTES;
            if (capacity < 0 || candidates.size() == MAX_CANDIDATES) {
                state = State.DONE; // too large to keep (or enough candidates): the version gets no core metadata
                return;
            }
            capturing = new Candidate(headerOffset, capacity);
            candidates.add(capturing);
            state = State.CAPTURE;
            if (capacity == 0) {
                afterCapture();
            }
        } else if (searching || !sizeKnown) {
            search();
        } else {
            skipLeft = compressed;
            state = State.SKIP;
            if (skipLeft == 0) {
                expectHeader(dataStart);
            }
        }
    }

    /** A wheel has one METADATA: once a header followed exactly gave it, the rest of the stream is not looked at. */
    private void afterCapture() {
        capturing = null;
        if (searching && candidates.size() < MAX_CANDIDATES) {
            search();
        } else {
            state = State.DONE;
        }
    }

    /** {@code <something>.dist-info/METADATA}, one level deep. */
    static boolean isMetadataName(String name) {
        int slash = name.indexOf('/');
        return slash > ".dist-info".length()
                && name.indexOf('/', slash + 1) < 0
                && name.startsWith(".dist-info/", slash - ".dist-info".length())
                && name.endsWith("/METADATA")
                && name.length() == slash + "/METADATA".length();
    }

    /** The compressed size from the zip64 extended information extra field, or -1. */
    private static long zip64CompressedSize(byte[] names, int nameLength) {
        int p = nameLength;
        while (p + 4 <= names.length) {
            int id = u16(names, p);
            int size = u16(names, p + 2);
            if (id == 0x0001 && size >= 16 && p + 4 + 16 <= names.length) {
                // local header zip64 extra: uncompressed size, then compressed size
                return u64(names, p + 12);
            }
            p += 4 + size;
        }
        return -1;
    }

    /**
     * The METADATA member named by the central directory, inflated and checked against the directory's CRC-32;
     * {@code null} when it was not captured (too large, not followed, a candidate at another offset) or does not
     * check out.
     */
    byte[] extract(ZipTailReader.Entry entry) {
        for (Candidate candidate : candidates) {
            if (candidate.headerOffset == entry.localHeaderOffset()) {
                return extract(candidate, entry);
            }
        }
        return null;
    }

    private static byte[] extract(Candidate candidate, ZipTailReader.Entry entry) {
        long compressed = entry.compressedSize();
        if ((entry.flags() & FLAG_ENCRYPTED) != 0
                || compressed < 0
                || compressed > candidate.length
                || entry.uncompressedSize() < 0
                || entry.uncompressedSize() > MAX_BYTES) {
            return null;
        }
        byte[] content;
        if (entry.method() == 0 && compressed == entry.uncompressedSize()) {
            content = Arrays.copyOf(candidate.data, (int) compressed);
        } else if (entry.method() == 8) {
            content = inflate(candidate.data, (int) compressed, MAX_BYTES);
        } else {
            return null;
        }
        if (content == null || content.length != entry.uncompressedSize()) {
            return null;
        }
        CRC32 crc = new CRC32();
        crc.update(content);
        return crc.getValue() == entry.crc32() ? content : null;
    }

    private static byte[] inflate(byte[] data, int length, int cap) {
        Inflater inflater = new Inflater(true);
        try {
            // "nowrap" inflaters may need one byte past the deflate stream
            byte[] input = Arrays.copyOf(data, length + 1);
            inflater.setInput(input);
            byte[] out = new byte[Math.min(cap + 1, Math.max(1024, length * 4))];
            int produced = 0;
            while (!inflater.finished()) {
                if (produced == out.length) {
                    if (out.length > cap) {
                        return null;
                    }
                    out = Arrays.copyOf(out, Math.min(cap + 1, out.length * 2));
                }
                int n = inflater.inflate(out, produced, out.length - produced);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return null; // truncated or not inflatable
                }
                produced += n;
            }
            return produced > cap ? null : Arrays.copyOf(out, produced);
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
    }

    private static int u16(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8;
    }

    private static long u32(byte[] b, int p) {
        return (u16(b, p) | (long) u16(b, p + 2) << 16) & 0xFFFFFFFFL;
    }

    private static long u64(byte[] b, int p) {
        long value = u32(b, p) | u32(b, p + 4) << 32;
        return value < 0 ? -1 : value;
    }
}
