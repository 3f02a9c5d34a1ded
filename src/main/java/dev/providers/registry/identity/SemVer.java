package dev.providers.registry.identity;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A strict SemVer 2.0.0 version.
 *
 * <p>Ordering ({@link #compareTo}) is SemVer precedence, which ignores build metadata:
 * {@code 1.0.0+a} and {@code 1.0.0+b} compare as 0 although they are not {@link #equals}.
 * Equality and hash code are on the exact text.
 */
public final class SemVer implements Comparable<SemVer> {

    public static final int MAX_LENGTH = 64;

    /** Upper bound of {@link #precedenceKey()} length for any version of at most {@link #MAX_LENGTH} characters. */
    public static final int MAX_PRECEDENCE_KEY_LENGTH = 128;

    private static final String FORMAT = "version must be SemVer 2.0.0 (MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD])";

    // precedenceKey bytes; see precedenceKey() for why each is what it is.
    private static final char KEY_PRE_RELEASE = '-';
    private static final char KEY_RELEASE = '~';
    private static final char KEY_NUMERIC = '1';
    private static final char KEY_ALPHANUMERIC = '2';
    private static final char KEY_END = '!';

    private final String text;
    private final String major;
    private final String minor;
    private final String patch;
    private final String preRelease;
    private final List<String> preReleaseIds;
    private final String build;

    private SemVer(String text, String major, String minor, String patch, String preRelease, String build) {
        this.text = text;
        this.major = major;
        this.minor = minor;
        this.patch = patch;
        this.preRelease = preRelease;
        this.preReleaseIds = preRelease == null ? List.of() : List.of(preRelease.split("\\.", -1));
        this.build = build;
    }

    /**
     * Parses strict SemVer 2.0.0 text: no leading 'v', no surrounding spaces, no leading zeros in
     * numeric identifiers, at most {@value #MAX_LENGTH} characters. Numbers may be arbitrarily large.
     *
     * @throws IllegalArgumentException with a message fit for an API client
     */
    public static SemVer parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("version is required");
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("version is longer than " + MAX_LENGTH + " characters");
        }
        String rest = text;
        String build = null;
        int plus = rest.indexOf('+');
        if (plus >= 0) {
            build = rest.substring(plus + 1);
            rest = rest.substring(0, plus);
            checkIdentifiers(text, build, "build metadata", false);
        }
        String preRelease = null;
        int dash = rest.indexOf('-');
        if (dash >= 0) {
            preRelease = rest.substring(dash + 1);
            rest = rest.substring(0, dash);
            checkIdentifiers(text, preRelease, "pre-release", true);
        }
        String[] core = rest.split("\\.", -1);
        if (core.length != 3) {
            throw invalid(text, "expected three dot-separated numbers MAJOR.MINOR.PATCH");
        }
        for (String number : core) {
            if (number.isEmpty() || !isDigits(number)) {
                throw invalid(text, "'" + number + "' is not a number");
            }
            if (number.length() > 1 && number.charAt(0) == '0') {
                throw invalid(text, "'" + number + "' has a leading zero");
            }
        }
        return new SemVer(text, core[0], core[1], core[2], preRelease, build);
    }

    private static void checkIdentifiers(String text, String ids, String what, boolean numericNoLeadingZero) {
        for (String id : ids.split("\\.", -1)) {
            if (id.isEmpty()) {
                throw invalid(text, what + " has an empty identifier");
            }
            for (int i = 0; i < id.length(); i++) {
                char c = id.charAt(i);
                if (!isIdentifierChar(c)) {
                    throw invalid(text, what + " identifier '" + id + "' has a character outside [0-9A-Za-z-]");
                }
            }
            if (numericNoLeadingZero && id.length() > 1 && id.charAt(0) == '0' && isDigits(id)) {
                throw invalid(text, what + " identifier '" + id + "' has a leading zero");
            }
        }
    }

    private static IllegalArgumentException invalid(String text, String reason) {
        return new IllegalArgumentException(FORMAT + ", got '" + text + "': " + reason);
    }

    private static boolean isIdentifierChar(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-';
    }

    private static boolean isDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    public String text() {
        return text;
    }

    /** The pre-release part without the leading '-', or null. */
    public String preRelease() {
        return preRelease;
    }

    /** The build metadata without the leading '+', or null. */
    public String build() {
        return build;
    }

    public boolean isPreRelease() {
        return preRelease != null;
    }

    /**
     * The PEP 440 form: {@code alpha[.N]}/{@code a[.N]} becomes {@code aN}, {@code beta}/{@code b} becomes
     * {@code bN}, {@code rc}/{@code c} becomes {@code rcN}, {@code dev} becomes {@code .devN} (N = 0 when
     * absent; the word is case-insensitive), build metadata becomes the local version label with its case kept
     * and each '-' replaced by '.' (PEP 440 normalisation; a wheel file name cannot hold '-' in its version).
     *
     * <p>Note: {@code 1.0.0-alpha} and {@code 1.0.0-alpha.0} both map to {@code 1.0.0a0}, and PEP 440
     * orders {@code .dev} before {@code a}, unlike SemVer.
     *
     * @throws IllegalArgumentException if the pre-release or build metadata has no PEP 440 form
     */
    public String pep440() {
        StringBuilder out =
                new StringBuilder(major).append('.').append(minor).append('.').append(patch);
        if (preRelease != null) {
            out.append(pep440PreRelease());
        }
        if (build != null) {
            for (String part : build.split("[.-]", -1)) {
                if (part.isEmpty()) {
                    throw new IllegalArgumentException("build metadata '" + build + "' of version '" + text
                            + "' has no PEP 440 local version form: its '.'/'-' separated parts must not be empty");
                }
            }
            out.append('+').append(build.replace('-', '.'));
        }
        return out.toString();
    }

    private String pep440PreRelease() {
        List<String> ids = preReleaseIds;
        if (ids.size() <= 2 && (ids.size() == 1 || isDigits(ids.get(1)))) {
            String n = ids.size() == 2 ? ids.get(1) : "0";
            switch (ids.get(0).toLowerCase(Locale.ROOT)) {
                case "alpha":
                case "a":
                    return "a" + n;
                case "beta":
                case "b":
                    return "b" + n;
                case "rc":
                case "c":
                    return "rc" + n;
                case "dev":
                    return ".dev" + n;
                default:
                    break;
            }
        }
        throw new IllegalArgumentException("pre-release '" + preRelease + "' of version '" + text
                + "' has no PEP 440 form; allowed pre-releases are alpha, a, beta, b, rc, c or dev,"
                + " optionally followed by '.N' (e.g. 1.0.0-rc.1, 1.0.0-beta, 1.0.0-dev.3)");
    }

    /**
     * A string whose byte-wise order (Java {@code String.compareTo}, PostgreSQL {@code COLLATE "C"}) is
     * exactly SemVer precedence; versions of equal precedence have equal keys. Pure ASCII, at most
     * {@value #MAX_PRECEDENCE_KEY_LENGTH} characters.
     *
     * <p>Layout: each core number as a two-digit length then its digits (no leading zeros, so longer is
     * larger); then {@code '~'} for a release, or {@code '-'} for a pre-release (so any pre-release sorts
     * before the release), followed by its identifiers and {@code '!'}. A numeric identifier is {@code '1'}
     * plus its length-prefixed digits, an alphanumeric one is {@code '2'} plus its text plus {@code '!'}.
     * {@code '1' < '2'} puts numeric identifiers first; the list end {@code '!'} is below both, so a shorter
     * identifier list sorts first; the text end {@code '!'} is below every identifier character (lowest is
     * {@code '-'}), so a shorter alphanumeric prefix sorts first.
     */
    public String precedenceKey() {
        StringBuilder key = new StringBuilder(MAX_PRECEDENCE_KEY_LENGTH);
        appendNumber(key, major);
        appendNumber(key, minor);
        appendNumber(key, patch);
        if (preRelease == null) {
            return key.append(KEY_RELEASE).toString();
        }
        key.append(KEY_PRE_RELEASE);
        for (String id : preReleaseIds) {
            if (isDigits(id)) {
                appendNumber(key.append(KEY_NUMERIC), id);
            } else {
                key.append(KEY_ALPHANUMERIC).append(id).append(KEY_END);
            }
        }
        return key.append(KEY_END).toString();
    }

    private static void appendNumber(StringBuilder key, String digits) {
        // digits.length() < MAX_LENGTH <= 99, so two digits of length always suffice.
        if (digits.length() < 10) {
            key.append('0');
        }
        key.append(digits.length()).append(digits);
    }

    /**
     * SemVer 2.0.0 precedence, which is the order of {@link #precedenceKey()}; build metadata is ignored, so this
     * is not consistent with equals.
     */
    @Override
    public int compareTo(SemVer other) {
        return Integer.signum(precedenceKey().compareTo(other.precedenceKey()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SemVer && ((SemVer) o).text.equals(text);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(text);
    }

    @Override
    public String toString() {
        return text;
    }
}
