package dev.providers.registry.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds real wheel (zip) files in memory for tests. Output is deterministic: same options, same bytes
 * (fixed entry timestamps, seeded padding).
 *
 * <pre>{@code
 * byte[] whl = Wheels.builder("Acme-Provider", "1.2.0").padding(200_000).build();
 * String name = Wheels.fileName("Acme-Provider", "1.2.0"); // acme_provider-1.2.0-py3-none-any.whl
 * }</pre>
 *
 * Archive layout (in this order): {@code pkg/__init__.py}, {@code pkg/provider.py}, {@code pkg/data.bin}
 * (only with padding), extra entries, then {@code <dist>-<ver>.dist-info/} METADATA, WHEEL,
 * top_level.txt (optional) and RECORD last, as pip/wheel write it.
 */
public final class Wheels {

    /** Timestamp of every entry (local DOS time, so output does not depend on the time zone). */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2024, 1, 1, 0, 0, 0);

    private static final long DEFAULT_PADDING_SEED = 0x5EED_1234L;

    private Wheels() {}

    /** A builder for a wheel of {@code distribution} (as written in METADATA Name) at {@code pep440Version}. */
    public static Builder builder(String distribution, String pep440Version) {
        return new Builder(distribution, pep440Version);
    }

    /** {@code {escaped dist}-{escaped version}-py3-none-any.whl}, e.g. {@code acme_provider-1.0-py3-none-any.whl}. */
    public static String fileName(String distribution, String pep440Version) {
        return escapeDistribution(distribution) + "-" + escapeVersion(pep440Version) + "-py3-none-any.whl";
    }

    /** The default dist-info directory name: {@code {escaped dist}-{escaped version}.dist-info}. */
    public static String distInfoDirectory(String distribution, String pep440Version) {
        return escapeDistribution(distribution) + "-" + escapeVersion(pep440Version) + ".dist-info";
    }

    /** Wheel file-name escaping: lower-case, every run of {@code -_.} replaced by one {@code _}. */
    public static String escapeDistribution(String distribution) {
        return distribution.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "_");
    }

    /** Lower-case hex SHA-256 of {@code data}. */
    public static String sha256Hex(byte[] data) {
        return HexFormat.of().formatHex(sha256(data));
    }

    /** {@code sha256=<urlsafe base64, no padding>} as used in RECORD. */
    public static String recordHash(byte[] data) {
        return "sha256=" + Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(data));
    }

    private static String escapeVersion(String version) {
        return version.replace('-', '_');
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Builder; all options are optional. Not thread-safe. */
    public static final class Builder {
        private final String distribution;
        private final String version;
        private String packageName;
        private boolean topLevelTxt = true;
        private boolean distInfo = true;
        private String distInfoName;
        private boolean deflated = true;
        private int padding;
        private long paddingSeed = DEFAULT_PADDING_SEED;
        private final Map<String, byte[]> extras = new LinkedHashMap<>();

        private Builder(String distribution, String version) {
            this.distribution = Objects.requireNonNull(distribution, "distribution");
            this.version = Objects.requireNonNull(version, "version");
        }

        /**
         * The import package (adds {@code pkg/__init__.py} and {@code pkg/provider.py}). Default: the
         * distribution in lower case with {@code -} and {@code .} replaced by {@code _}.
         */
        public Builder packageName(String packageName) {
            this.packageName = Objects.requireNonNull(packageName);
            return this;
        }

        /** Whether to write {@code dist-info/top_level.txt} with the package name (default true). */
        public Builder topLevelTxt(boolean include) {
            this.topLevelTxt = include;
            return this;
        }

        /** Omits the whole dist-info directory (no METADATA, WHEEL, top_level.txt, RECORD). */
        public Builder withoutDistInfo() {
            this.distInfo = false;
            return this;
        }

        /** Overrides the dist-info directory name, taken literally (e.g. {@code "other-9.9.dist-info"}). */
        public Builder distInfoName(String directoryName) {
            String d = Objects.requireNonNull(directoryName);
            this.distInfoName = d.endsWith("/") ? d.substring(0, d.length() - 1) : d;
            return this;
        }

        /** All entries STORED (uncompressed). */
        public Builder stored() {
            this.deflated = false;
            return this;
        }

        /** All entries (except the padding, always stored) DEFLATED. The default. */
        public Builder deflated() {
            this.deflated = true;
            return this;
        }

        /** Adds a stored {@code pkg/data.bin} of {@code bytes} random (incompressible) bytes, fixed seed. */
        public Builder padding(int bytes) {
            return padding(bytes, DEFAULT_PADDING_SEED);
        }

        /** Like {@link #padding(int)} with an explicit seed (different seed, different bytes/hash). */
        public Builder padding(int bytes, long seed) {
            if (bytes < 0) {
                throw new IllegalArgumentException("padding " + bytes);
            }
            this.padding = bytes;
            this.paddingSeed = seed;
            return this;
        }

        /**
         * Adds an entry (any name, e.g. {@code "../evil.py"}). If the name equals a generated entry
         * (e.g. {@code "acme-1.0.dist-info/METADATA"} or its RECORD), it replaces that entry's content
         * in place instead; a replaced RECORD is written verbatim.
         */
        public Builder extraEntry(String name, byte[] data) {
            extras.put(Objects.requireNonNull(name), data.clone());
            return this;
        }

        /** Same as {@link Wheels#fileName(String, String)} for this distribution and version. */
        public String fileName() {
            return Wheels.fileName(distribution, version);
        }

        /** The dist-info directory name this builder uses (override or default). */
        public String distInfoDirectory() {
            return distInfoName != null ? distInfoName : Wheels.distInfoDirectory(distribution, version);
        }

        /** The import package name this builder uses. */
        public String packageName() {
            return packageName != null
                    ? packageName
                    : distribution.toLowerCase(Locale.ROOT).replace('-', '_').replace('.', '_');
        }

        /** Builds the wheel bytes. */
        public byte[] build() {
            String pkg = packageName();
            String di = distInfoDirectory();
            Map<String, byte[]> extrasLeft = new LinkedHashMap<>(extras);

            List<Entry> entries = new ArrayList<>();
            entries.add(new Entry(
                    pkg + "/__init__.py",
                    utf8("\"\"\"Test provider package " + distribution + " " + version + ".\"\"\"\n"
                            + "__version__ = \"" + version + "\"\n"),
                    deflated));
            entries.add(new Entry(
                    pkg + "/provider.py",
                    utf8("NAME = \"" + distribution + "\"\nVERSION = \"" + version + "\"\n\n\n"
                            + "def provide():\n    return {\"name\": NAME, \"version\": VERSION}\n"),
                    deflated));
            if (padding > 0) {
                byte[] data = new byte[padding];
                new Random(paddingSeed).nextBytes(data);
                entries.add(new Entry(pkg + "/data.bin", data, false));
            }
            List<Entry> distInfoEntries = new ArrayList<>();
            if (distInfo) {
                distInfoEntries.add(new Entry(
                        di + "/METADATA",
                        utf8("Metadata-Version: 2.1\nName: " + distribution + "\nVersion: " + version + "\n"),
                        deflated));
                distInfoEntries.add(new Entry(
                        di + "/WHEEL",
                        utf8("Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"),
                        deflated));
                if (topLevelTxt) {
                    distInfoEntries.add(new Entry(di + "/top_level.txt", utf8(pkg + "\n"), deflated));
                }
            }
            // replacements of generated entries
            for (List<Entry> list : List.of(entries, distInfoEntries)) {
                for (int i = 0; i < list.size(); i++) {
                    Entry e = list.get(i);
                    byte[] replacement = extrasLeft.remove(e.name());
                    if (replacement != null) {
                        list.set(i, new Entry(e.name(), replacement, e.deflate()));
                    }
                }
            }
            String recordName = di + "/RECORD";
            byte[] recordOverride = distInfo ? extrasLeft.remove(recordName) : null;
            for (Map.Entry<String, byte[]> x : extrasLeft.entrySet()) {
                entries.add(new Entry(x.getKey(), x.getValue(), deflated));
            }
            entries.addAll(distInfoEntries);
            if (distInfo) {
                byte[] record = recordOverride != null ? recordOverride : record(entries, recordName);
                entries.add(new Entry(recordName, record, deflated));
            }
            return zip(entries);
        }

        private static byte[] record(List<Entry> entries, String recordName) {
            StringBuilder sb = new StringBuilder();
            for (Entry e : entries) {
                sb.append(csv(e.name()))
                        .append(',')
                        .append(recordHash(e.data()))
                        .append(',')
                        .append(e.data().length)
                        .append('\n');
            }
            sb.append(csv(recordName)).append(",,\n");
            return utf8(sb.toString());
        }

        private static String csv(String field) {
            if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0) {
                return field;
            }
            return '"' + field.replace("\"", "\"\"") + '"';
        }

        private static byte[] zip(List<Entry> entries) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
                for (Entry e : entries) {
                    ZipEntry z = new ZipEntry(e.name());
                    z.setTimeLocal(ENTRY_TIME);
                    if (e.deflate()) {
                        z.setMethod(ZipEntry.DEFLATED);
                    } else {
                        CRC32 crc = new CRC32();
                        crc.update(e.data());
                        z.setMethod(ZipEntry.STORED);
                        z.setSize(e.data().length);
                        z.setCompressedSize(e.data().length);
                        z.setCrc(crc.getValue());
                    }
                    zip.putNextEntry(z);
                    zip.write(e.data());
                    zip.closeEntry();
                }
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            return bytes.toByteArray();
        }

        private static byte[] utf8(String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }

        private record Entry(String name, byte[] data, boolean deflate) {}
    }
}
