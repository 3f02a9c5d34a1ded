package dev.providers.registry.identity;

import java.util.Locale;
import java.util.regex.Pattern;

/** Validation of registry name segments and Python dotted names. */
public final class Segments {

    public static final String SEGMENT_REGEX = "^[a-z0-9][a-z0-9._-]{0,99}$";
    private static final Pattern SEGMENT = Pattern.compile(SEGMENT_REGEX);

    private Segments() {}

    /**
     * Lower-cases {@code raw} and checks it against {@value #SEGMENT_REGEX}. Non-ASCII input is rejected
     * before lower-casing, so that e.g. the Kelvin sign cannot turn into an ASCII 'k'.
     *
     * @throws IllegalArgumentException "segment '{raw}' must match ^[a-z0-9][a-z0-9._-]{0,99}$"
     */
    public static String normalizeSegment(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            if (raw.charAt(i) > 0x7F) {
                throw invalid(raw);
            }
        }
        String lower = raw.toLowerCase(Locale.ROOT);
        if (!SEGMENT.matcher(lower).matches()) {
            throw invalid(raw);
        }
        return lower;
    }

    private static IllegalArgumentException invalid(String raw) {
        return new IllegalArgumentException("segment '" + raw + "' must match " + SEGMENT_REGEX);
    }

    /**
     * Whether every dot-separated part of {@code s} is a Python identifier ({@code str.isidentifier()}):
     * a letter or '_' first, then letters, digits or '_'; non-ASCII letters count via
     * {@link Character#isUnicodeIdentifierStart}/{@link Character#isUnicodeIdentifierPart}. Keywords are
     * not rejected, as {@code str.isidentifier()} does not reject them either.
     */
    public static boolean isDottedPythonIdentifier(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (String part : s.split("\\.", -1)) {
            if (!isPythonIdentifier(part)) {
                return false;
            }
        }
        return true;
    }

    /** One segment of {@link #isDottedPythonIdentifier}: what Python's {@code str.isidentifier()} accepts. */
    public static boolean isPythonIdentifier(String part) {
        if (part.isEmpty()) {
            return false;
        }
        int first = part.codePointAt(0);
        if (!(first == '_' || isAsciiLetter(first) || (first > 0x7F && Character.isUnicodeIdentifierStart(first)))) {
            return false;
        }
        for (int i = Character.charCount(first); i < part.length(); ) {
            int c = part.codePointAt(i);
            boolean ok = c == '_'
                    || isAsciiLetter(c)
                    || (c >= '0' && c <= '9')
                    || (c > 0x7F && Character.isUnicodeIdentifierPart(c) && !Character.isIdentifierIgnorable(c));
            if (!ok) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }

    private static boolean isAsciiLetter(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
