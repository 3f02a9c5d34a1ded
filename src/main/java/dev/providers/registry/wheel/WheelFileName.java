package dev.providers.registry.wheel;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A PEP 427 wheel file name:
 * {@code {distribution}-{version}(-{build tag})?-{python tag}-{abi tag}-{platform tag}.whl}.
 *
 * @param buildTag null when absent
 */
public record WheelFileName(
        String distribution, String version, String buildTag, String pythonTag, String abiTag, String platformTag) {

    private static final String SHAPE = "{distribution}-{version}(-{build})?-{python}-{abi}-{platform}.whl";
    private static final Pattern DISTRIBUTION = Pattern.compile("[A-Za-z0-9_.]+");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9_.!+]+");
    private static final Pattern BUILD_TAG = Pattern.compile("[0-9][A-Za-z0-9_.]*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_.]+");
    private static final Pattern SEPARATOR_RUNS = Pattern.compile("[-_.]+");

    public WheelFileName {
        Objects.requireNonNull(distribution, "distribution");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(pythonTag, "pythonTag");
        Objects.requireNonNull(abiTag, "abiTag");
        Objects.requireNonNull(platformTag, "platformTag");
    }

    /** @throws IllegalArgumentException naming the file and what is wrong with it */
    public static WheelFileName parse(String fileName) {
        if (fileName == null || fileName.isEmpty()) {
            throw new IllegalArgumentException("wheel file name is required");
        }
        if (!fileName.endsWith(".whl")) {
            throw invalid(fileName, "it does not end with .whl");
        }
        String[] parts =
                fileName.substring(0, fileName.length() - ".whl".length()).split("-", -1);
        if (parts.length != 5 && parts.length != 6) {
            throw invalid(fileName, "it has " + parts.length + " '-' separated parts, expected 5 or 6");
        }
        String buildTag = parts.length == 6 ? parts[2] : null;
        int tags = parts.length - 3;
        check(fileName, "distribution", parts[0], DISTRIBUTION, "letters, digits, '_' and '.'");
        check(fileName, "version", parts[1], VERSION, "letters, digits, '_', '.', '!' and '+'");
        if (buildTag != null) {
            check(fileName, "build tag", buildTag, BUILD_TAG, "a digit followed by letters, digits, '_' and '.'");
        }
        check(fileName, "python tag", parts[tags], TAG, "letters, digits, '_' and '.'");
        check(fileName, "abi tag", parts[tags + 1], TAG, "letters, digits, '_' and '.'");
        check(fileName, "platform tag", parts[tags + 2], TAG, "letters, digits, '_' and '.'");
        return new WheelFileName(parts[0], parts[1], buildTag, parts[tags], parts[tags + 1], parts[tags + 2]);
    }

    private static void check(String fileName, String what, String value, Pattern pattern, String allowed) {
        if (value.isEmpty()) {
            throw invalid(fileName, "the " + what + " is empty");
        }
        if (!pattern.matcher(value).matches()) {
            throw invalid(fileName, "the " + what + " '" + value + "' must be " + allowed);
        }
    }

    private static IllegalArgumentException invalid(String fileName, String reason) {
        return new IllegalArgumentException("wheel file name '" + fileName + "' is not " + SHAPE + ": " + reason);
    }

    /** Lower-cases and replaces each run of '-', '_' and '.' by a single '_' (the wheel file name escaping). */
    public static String normalizeDistribution(String name) {
        return SEPARATOR_RUNS.matcher(name.toLowerCase(Locale.ROOT)).replaceAll("_");
    }

    /** Whether this file's version is the given PEP 440 text, ignoring ASCII case. */
    public boolean versionEquals(String pep440) {
        return pep440 != null && asciiLower(version).equals(asciiLower(pep440));
    }

    private static String asciiLower(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
        }
        return out.toString();
    }

    /** The file name again, in PEP 427 form. */
    @Override
    public String toString() {
        return distribution + '-' + version + (buildTag == null ? "" : '-' + buildTag) + '-' + pythonTag + '-' + abiTag
                + '-' + platformTag + ".whl";
    }
}
