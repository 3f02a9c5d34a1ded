package dev.providers.registry.wheel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds zip archives in memory for the tests: real ones with ZipOutputStream, malformed ones by hand. */
public final class TestZips {

    private TestZips() {}

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] random(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A builder pre-filled with the METADATA, WHEEL and RECORD files of {@code dist-version.dist-info}. */
    static ZipBuilder wheel(String dist, String version) {
        String info = dist + "-" + version + ".dist-info/";
        return new ZipBuilder()
                .deflated(info + "METADATA", "Metadata-Version: 2.1\nName: " + dist + "\nVersion: " + version + "\n")
                .deflated(
                        info + "WHEEL",
                        "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
                .deflated(info + "RECORD", "");
    }

    static final class ZipBuilder {
        private record Member(String name, byte[] data, boolean stored) {}

        private final List<Member> members = new ArrayList<>();
        private String comment;

        ZipBuilder stored(String name, byte[] data) {
            members.add(new Member(name, data, true));
            return this;
        }

        ZipBuilder stored(String name, String text) {
            return stored(name, utf8(text));
        }

        ZipBuilder deflated(String name, byte[] data) {
            members.add(new Member(name, data, false));
            return this;
        }

        ZipBuilder deflated(String name, String text) {
            return deflated(name, utf8(text));
        }

        ZipBuilder comment(String comment) {
            this.comment = comment;
            return this;
        }

        byte[] build() {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
                if (comment != null) {
                    zip.setComment(comment);
                }
                for (Member m : members) {
                    ZipEntry e = new ZipEntry(m.name());
                    if (m.stored()) {
                        CRC32 crc = new CRC32();
                        crc.update(m.data());
                        e.setMethod(ZipEntry.STORED);
                        e.setSize(m.data().length);
                        e.setCompressedSize(m.data().length);
                        e.setCrc(crc.getValue());
                    } else {
                        e.setMethod(ZipEntry.DEFLATED);
                    }
                    zip.putNextEntry(e);
                    zip.write(m.data());
                    zip.closeEntry();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }
    }

    /** Little-endian byte writer for hand-crafted records. */
    static final class Le {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Le u16(int v) {
            out.write(v & 0xFF);
            out.write((v >>> 8) & 0xFF);
            return this;
        }

        Le u32(long v) {
            u16((int) (v & 0xFFFF));
            return u16((int) ((v >>> 16) & 0xFFFF));
        }

        Le u64(long v) {
            u32(v & 0xFFFFFFFFL);
            return u32(v >>> 32);
        }

        Le bytes(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        byte[] build() {
            return out.toByteArray();
        }
    }

    /** End-of-central-directory record. */
    public static byte[] eocd(int entries, long cdSize, long cdOffset, int commentLength) {
        return new Le()
                .u32(0x06054b50)
                .u16(0)
                .u16(0)
                .u16(entries)
                .u16(entries)
                .u32(cdSize)
                .u32(cdOffset)
                .u16(commentLength)
                .build();
    }

    /** Zip64 end-of-central-directory record (56 bytes). */
    public static byte[] zip64Eocd(long entries, long cdSize, long cdOffset) {
        return new Le()
                .u32(0x06064b50)
                .u64(44)
                .u16(45)
                .u16(45)
                .u32(0)
                .u32(0)
                .u64(entries)
                .u64(entries)
                .u64(cdSize)
                .u64(cdOffset)
                .build();
    }

    /** Zip64 end-of-central-directory locator (20 bytes). */
    public static byte[] zip64Locator(long zip64EocdOffset) {
        return new Le().u32(0x07064b50).u32(0).u64(zip64EocdOffset).u32(1).build();
    }

    /** Central directory file header with a (possibly lying) name length. */
    public static byte[] centralHeader(String name, int claimedNameLength, long localHeaderOffset) {
        byte[] n = utf8(name);
        return new Le()
                .u32(0x02014b50)
                .u16(20)
                .u16(20)
                .u16(0x800)
                .u16(0)
                .u16(0)
                .u16(0)
                .u32(0)
                .u32(0)
                .u32(0)
                .u16(claimedNameLength)
                .u16(0)
                .u16(0)
                .u16(0)
                .u16(0)
                .u32(0)
                .u32(localHeaderOffset)
                .bytes(n)
                .build();
    }
}
