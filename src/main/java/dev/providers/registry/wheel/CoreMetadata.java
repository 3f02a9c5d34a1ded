package dev.providers.registry.wheel;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A wheel's {@code METADATA} file (its core metadata, PEP 658), as captured while the wheel streamed.
 *
 * @param bytes          the file, exactly as in the wheel
 * @param sha256Hex      lower-case hex SHA-256 of {@code bytes} (announced in the simple index)
 * @param requiresPython the {@code Requires-Python} header, or {@code null}
 */
public record CoreMetadata(byte[] bytes, String sha256Hex, String requiresPython) {

    /** Equal bytes are equal metadata (a record compares arrays by reference). */
    @Override
    public boolean equals(Object other) {
        return other instanceof CoreMetadata that
                && Arrays.equals(bytes, that.bytes)
                && Objects.equals(sha256Hex, that.sha256Hex)
                && Objects.equals(requiresPython, that.requiresPython);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes) * 31 + Objects.hashCode(requiresPython);
    }

    @Override
    public String toString() {
        return "CoreMetadata[" + bytes.length + " bytes, sha256 " + sha256Hex + ", requiresPython " + requiresPython
                + "]";
    }

    /** Longest {@code Requires-Python} kept; a longer one is dropped rather than cut. */
    static final int MAX_REQUIRES_PYTHON = 1000;

    public static CoreMetadata of(byte[] bytes) {
        try {
            String sha = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            return new CoreMetadata(bytes, sha, requiresPython(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The {@code Requires-Python} field of the header block (RFC 822 style: up to the first empty line; continuation
     * lines start with white space), or {@code null}.
     */
    static String requiresPython(byte[] metadata) {
        String text = new String(metadata, StandardCharsets.UTF_8);
        String value = null;
        boolean inField = false;
        for (String line : text.split("\r\n|\n|\r", -1)) {
            if (line.isEmpty()) {
                break;
            }
            if (Character.isWhitespace(line.charAt(0))) {
                if (inField) {
                    value = value + " " + line.strip();
                }
                continue;
            }
            int colon = line.indexOf(':');
            inField =
                    colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase("Requires-Python") && value == null;
            if (inField) {
                value = line.substring(colon + 1).strip();
            }
        }
        if (value == null || value.isEmpty() || value.length() > MAX_REQUIRES_PYTHON) {
            return null;
        }
        return value;
    }
}
