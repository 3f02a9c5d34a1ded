package dev.providers.registry.wheel;

import java.util.Locale;
import java.util.regex.Pattern;

/** PEP 503 project names: runs of {@code -}, {@code _} and {@code .} become one {@code -}, letters lower case. */
public final class ProjectName {

    private static final Pattern SEPARATOR_RUNS = Pattern.compile("[-_.]+");

    private ProjectName() {}

    public static String normalize(String name) {
        return SEPARATOR_RUNS.matcher(name).replaceAll("-").toLowerCase(Locale.ROOT);
    }

    public static boolean isNormalized(String name) {
        return normalize(name).equals(name);
    }
}
