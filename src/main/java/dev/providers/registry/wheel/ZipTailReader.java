package dev.providers.registry.wheel;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads the zip structures of a streamed archive from its {@link TailWindow}: end-of-central-directory
 * record (plain and zip64), central-directory file headers one at a time, and - when it happens to be
 * retained - the data of a small member.
 *
 * <p>Offsets are absolute stream offsets: an archive with prepended data (self-extracting) has
 * offsets that do not match and is rejected as malformed.
 *
 * <p>Every field is bounds-checked before it is read and nothing is ever allocated from a size or
 * count claimed by the archive, except for the member read by {@link #readSmallMember}, which is
 * capped by its caller.
 */
final class ZipTailReader {

    static final int EOCD_SIGNATURE = 0x06054b50;
    static final int ZIP64_EOCD_SIGNATURE = 0x06064b50;
    static final int ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
    static final int CENTRAL_HEADER_SIGNATURE = 0x02014b50;
    static final int LOCAL_HEADER_SIGNATURE = 0x04034b50;

    static final int EOCD_LENGTH = 22;
    static final int MAX_COMMENT_LENGTH = 0xFFFF;
    /** The EOCD record is within the last 22 + 65,535 bytes of a zip. */
    static final int EOCD_SEARCH_WINDOW = EOCD_LENGTH + MAX_COMMENT_LENGTH;

    static final int ZIP64_LOCATOR_LENGTH = 20;
    static final int ZIP64_EOCD_MIN_LENGTH = 56;
    static final int CENTRAL_HEADER_LENGTH = 46;
    static final int LOCAL_HEADER_LENGTH = 30;
    static final int MAX_ENTRIES = 100_000;

    /** Bytes after the central directory that the window must hold besides it: EOCD with max comment, zip64 trailer. */
    static final int TRAILER_SLACK = EOCD_SEARCH_WINDOW + ZIP64_LOCATOR_LENGTH + ZIP64_EOCD_MIN_LENGTH;

    private static final int U16_MARKER = 0xFFFF;
    private static final long U32_MARKER = 0xFFFFFFFFL;
    private static final int ZIP64_EXTRA_ID = 0x0001;
    private static final int FLAG_ENCRYPTED = 0x1;

    /** Where the central directory is, as claimed by the end records. */
    record CentralDirectory(long offset, long size, long entries, boolean zip64) {}

    /** One central-directory file header; sizes and offset already resolved from the zip64 extra field. */
    record Entry(
            String name,
            int flags,
            int method,
            long crc32,
            long compressedSize,
            long uncompressedSize,
            long localHeaderOffset) {}

    @FunctionalInterface
    interface EntryVisitor {
        void visit(Entry entry) throws NotAWheelException;
    }

    private final TailWindow window;
    private final int maxCentralDirectoryBytes;

    ZipTailReader(TailWindow window, int maxCentralDirectoryBytes) {
        this.window = window;
        this.maxCentralDirectoryBytes = maxCentralDirectoryBytes;
    }

    /** Finds and validates the end records; the returned directory lies inside the window and the file. */
    CentralDirectory locate() throws NotAWheelException {
        long eocd = findEocd();
        int disk = window.u16(eocd + 4);
        int cdDisk = window.u16(eocd + 6);
        int entriesOnDisk = window.u16(eocd + 8);
        long entries = window.u16(eocd + 10);
        long size = window.u32(eocd + 12);
        long offset = window.u32(eocd + 16);
        long end = eocd; // the central directory must end at or before this position

        long locator = eocd - ZIP64_LOCATOR_LENGTH;
        boolean zip64 =
                window.contains(locator, ZIP64_LOCATOR_LENGTH) && window.u32(locator) == ZIP64_LOCATOR_SIGNATURE;
        if (zip64) {
            long record = window.u64(locator + 8);
            if (window.u32(locator + 4) != 0 || window.u32(locator + 16) > 1) {
                throw new NotAWheelException("multi-disk zip archives are not supported");
            }
            if (record < 0 || record > locator - ZIP64_EOCD_MIN_LENGTH) {
                throw new NotAWheelException(
                        "malformed zip: zip64 end-of-central-directory record points outside the archive");
            }
            if (!window.contains(record, ZIP64_EOCD_MIN_LENGTH)) {
                throw new NotAWheelException(
                        "central directory larger than the " + maxCentralDirectoryBytes + "-byte limit");
            }
            if (window.u32(record) != ZIP64_EOCD_SIGNATURE) {
                throw new NotAWheelException(
                        "malformed zip: no zip64 end-of-central-directory record where the locator points");
            }
            long recordSize = window.u64(record + 4);
            if (recordSize < ZIP64_EOCD_MIN_LENGTH - 12 || recordSize > locator - record - 12) {
                throw new NotAWheelException("malformed zip: bad zip64 end-of-central-directory record size");
            }
            disk = (int) Math.min(window.u32(record + 16), Integer.MAX_VALUE);
            cdDisk = (int) Math.min(window.u32(record + 20), Integer.MAX_VALUE);
            long onDisk64 = window.u64(record + 24);
            entries = window.u64(record + 32);
            size = window.u64(record + 40);
            offset = window.u64(record + 48);
            end = record;
            if (onDisk64 != entries) {
                throw new NotAWheelException("multi-disk zip archives are not supported");
            }
        } else {
            if (size == U32_MARKER || offset == U32_MARKER) {
                throw new NotAWheelException(
                        "malformed zip: zip64 markers without a zip64 end-of-central-directory record");
            }
            if (entriesOnDisk != entries) {
                throw new NotAWheelException("multi-disk zip archives are not supported");
            }
        }
        if (disk != 0 || cdDisk != 0) {
            throw new NotAWheelException("multi-disk zip archives are not supported");
        }
        // Checked before anything is parsed; entries < 0 means an absurd unsigned 64-bit claim.
        if (entries < 0 || entries > MAX_ENTRIES) {
            throw new NotAWheelException("more than " + MAX_ENTRIES + " entries");
        }
        if (size < 0 || size > maxCentralDirectoryBytes) {
            throw new NotAWheelException(
                    "central directory larger than the " + maxCentralDirectoryBytes + "-byte limit");
        }
        if (offset < 0 || offset > end - size) {
            throw new NotAWheelException("central directory points outside the archive");
        }
        if (!window.contains(offset, size)) {
            throw new NotAWheelException(
                    "central directory larger than the " + maxCentralDirectoryBytes + "-byte limit");
        }
        return new CentralDirectory(offset, size, entries, zip64);
    }

    /**
     * Absolute offset of the EOCD: the last signature in the search window whose comment length
     * reaches exactly the end of the stream.
     */
    private long findEocd() throws NotAWheelException {
        long total = window.total();
        long lowest = Math.max(window.start(), total - EOCD_SEARCH_WINDOW);
        for (long p = total - EOCD_LENGTH; p >= lowest; p--) {
            if (window.u8(p) == 0x50
                    && window.u32(p) == EOCD_SIGNATURE
                    && window.u16(p + 20) == total - p - EOCD_LENGTH) {
                return p;
            }
        }
        long searched = Math.min(total, Math.min(EOCD_SEARCH_WINDOW, window.retained()));
        throw new NotAWheelException(
                "not a zip archive: no end-of-central-directory record in the last " + searched + " bytes");
    }

    /**
     * Parses the central-directory headers one by one, handing each to {@code visitor}, and checks that
     * they fill the directory exactly and match the claimed count. Returns the number of entries.
     */
    int forEachEntry(CentralDirectory cd, EntryVisitor visitor) throws NotAWheelException {
        long p = cd.offset();
        long end = cd.offset() + cd.size();
        int count = 0;
        while (p < end) {
            if (end - p < CENTRAL_HEADER_LENGTH) {
                throw new NotAWheelException("malformed zip: truncated central directory header");
            }
            if (window.u32(p) != CENTRAL_HEADER_SIGNATURE) {
                throw new NotAWheelException("malformed zip: bad central directory header signature");
            }
            if (++count > MAX_ENTRIES) {
                throw new NotAWheelException("more than " + MAX_ENTRIES + " entries");
            }
            int flags = window.u16(p + 8);
            int method = window.u16(p + 10);
            long crc = window.u32(p + 16);
            long compressed = window.u32(p + 20);
            long uncompressed = window.u32(p + 24);
            int nameLength = window.u16(p + 28);
            int extraLength = window.u16(p + 30);
            int commentLength = window.u16(p + 32);
            int diskStart = window.u16(p + 34);
            long localOffset = window.u32(p + 42);
            long name = p + CENTRAL_HEADER_LENGTH;
            long extra = name + nameLength;
            long next = extra + extraLength + commentLength;
            if (next > end) {
                throw new NotAWheelException(
                        "malformed zip: central directory header runs past the end of the directory");
            }
            if (compressed == U32_MARKER
                    || uncompressed == U32_MARKER
                    || localOffset == U32_MARKER
                    || diskStart == U16_MARKER) {
                long[] resolved = {uncompressed, compressed, localOffset};
                readZip64Extra(extra, extraLength, resolved, diskStart == U16_MARKER);
                uncompressed = resolved[0];
                compressed = resolved[1];
                localOffset = resolved[2];
            }
            byte[] nameBytes = new byte[nameLength];
            window.copy(name, nameBytes, 0, nameLength);
            // Wheels use UTF-8 names; bytes that are not UTF-8 become U+FFFD, which is harmless for the checks.
            visitor.visit(new Entry(
                    new String(nameBytes, StandardCharsets.UTF_8),
                    flags,
                    method,
                    crc,
                    compressed,
                    uncompressed,
                    localOffset));
            p = next;
        }
        if (count != cd.entries()) {
            throw new NotAWheelException("malformed zip: central directory holds " + count
                    + " entries but the end record claims " + cd.entries());
        }
        return count;
    }

    /** Replaces marker values in {@code values} (uncompressed, compressed, local offset) from the zip64 extra field. */
    private void readZip64Extra(long extra, int extraLength, long[] values, boolean diskMarker)
            throws NotAWheelException {
        long p = extra;
        long end = extra + extraLength;
        while (end - p >= 4) {
            int id = window.u16(p);
            int length = window.u16(p + 2);
            long data = p + 4;
            if (length > end - data) {
                throw new NotAWheelException("malformed zip: extra field runs past its header");
            }
            if (id == ZIP64_EXTRA_ID) {
                long q = data;
                long dataEnd = data + length;
                for (int i = 0; i < values.length; i++) {
                    if (values[i] == U32_MARKER) {
                        if (dataEnd - q < 8) {
                            throw new NotAWheelException("malformed zip: truncated zip64 extra field");
                        }
                        values[i] = window.u64(q);
                        q += 8;
                    }
                }
                if (diskMarker && dataEnd - q < 4) {
                    throw new NotAWheelException("malformed zip: truncated zip64 extra field");
                }
                return;
            }
            p = data + length;
        }
        throw new NotAWheelException("malformed zip: zip64 markers without a zip64 extra field");
    }

    /**
     * Returns the uncompressed data of {@code entry} when its local header and data are retained in the
     * window, it is stored or deflated, not encrypted, at most {@code cap} bytes once inflated and its
     * CRC-32 matches; otherwise {@code null}. Never throws for bad member data.
     */
    byte[] readSmallMember(Entry entry, CentralDirectory cd, int cap) {
        long local = entry.localHeaderOffset();
        if (local < 0 || !window.contains(local, LOCAL_HEADER_LENGTH) || local > cd.offset() - LOCAL_HEADER_LENGTH) {
            return null;
        }
        if (window.u32(local) != LOCAL_HEADER_SIGNATURE || (entry.flags() & FLAG_ENCRYPTED) != 0) {
            return null;
        }
        long data = local + LOCAL_HEADER_LENGTH + window.u16(local + 26) + window.u16(local + 28);
        long length = entry.compressedSize();
        if (length < 0 || data > cd.offset() || length > cd.offset() - data || !window.contains(data, length)) {
            return null;
        }
        byte[] content;
        if (entry.method() == 0) {
            if (length > cap || entry.uncompressedSize() != length) {
                return null;
            }
            content = new byte[(int) length];
            window.copy(data, content, 0, (int) length);
        } else if (entry.method() == 8) {
            content = inflate(data, length, cap);
            if (content == null || content.length != entry.uncompressedSize()) {
                return null;
            }
        } else {
            return null;
        }
        CRC32 crc = new CRC32();
        crc.update(content);
        return crc.getValue() == entry.crc32() ? content : null;
    }

    /** Inflates raw deflate data from the window, feeding it in small pieces; {@code null} when over the cap or corrupt. */
    private byte[] inflate(long data, long length, int cap) {
        Inflater inflater = new Inflater(true);
        try {
            byte[] in = new byte[(int) Math.min(8192, Math.max(1, length))];
            byte[] out = new byte[cap + 1]; // one spare byte detects output over the cap
            int produced = 0;
            long fed = 0;
            boolean dummyFed = false;
            while (!inflater.finished()) {
                if (inflater.needsInput()) {
                    if (fed < length) {
                        int n = (int) Math.min(in.length, length - fed);
                        window.copy(data + fed, in, 0, n);
                        inflater.setInput(in, 0, n);
                        fed += n;
                    } else if (!dummyFed) {
                        // "nowrap" inflaters may need one extra byte past the deflate stream.
                        inflater.setInput(new byte[1]);
                        dummyFed = true;
                    } else {
                        return null; // truncated stream
                    }
                }
                int n = inflater.inflate(out, produced, out.length - produced);
                if (n == 0 && !inflater.finished() && !inflater.needsInput()) {
                    return null; // no progress possible (dictionary needed or output full)
                }
                produced += n;
                if (produced > cap) {
                    return null;
                }
            }
            return java.util.Arrays.copyOf(out, produced);
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
    }
}
