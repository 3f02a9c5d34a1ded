package dev.providers.registry.files;

/**
 * A {@code Range: bytes=...} request header against a file of a known size (RFC 9110 14.1-14.2). One range only:
 * {@code first-last}, {@code first-} or {@code -suffix}. A header with several ranges, another unit, or a syntax
 * error is ignored (the whole file is answered, as RFC 9110 allows a server to do): runtimes and resuming downloaders
 * ask for one range, and one answer per file keeps every answer a plain byte stream (no multipart/byteranges).
 *
 * @param first  the first byte answered
 * @param length how many bytes from {@code first}; for {@link #UNSATISFIABLE}, 0
 */
public record ByteRange(long first, long length) {

    /** A well-formed single range that no byte of the file satisfies: 416. */
    public static final ByteRange UNSATISFIABLE = new ByteRange(-1, 0);

    /** The range to answer, {@link #UNSATISFIABLE}, or null for the whole file (no header, or one that is ignored). */
    public static ByteRange parse(String header, long size) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6)) {
            return null;
        }
        String spec = h.substring(6).trim();
        if (spec.isEmpty() || spec.indexOf(',') >= 0) {
            return null;
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String from = spec.substring(0, dash).trim();
        String to = spec.substring(dash + 1).trim();
        try {
            if (from.isEmpty()) { // a suffix: the last n bytes
                long suffix = digits(to);
                if (suffix == 0 || size == 0) {
                    return UNSATISFIABLE;
                }
                long n = Math.min(suffix, size);
                return new ByteRange(size - n, n);
            }
            long first = digits(from);
            long last = to.isEmpty() ? Long.MAX_VALUE : digits(to);
            if (last < first) {
                return null; // invalid: ignored
            }
            if (first >= size) {
                return UNSATISFIABLE;
            }
            return new ByteRange(first, Math.min(last, size - 1) - first + 1);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static long digits(String s) {
        if (s.isEmpty() || s.length() > 18) {
            throw new NumberFormatException(s);
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                throw new NumberFormatException(s);
            }
        }
        return Long.parseLong(s);
    }

    /** {@code bytes first-last/size}. */
    public String contentRange(long size) {
        return "bytes " + first + "-" + (first + length - 1) + "/" + size;
    }
}
