package dev.providers.registry.http;

/** Query parameters read as text and validated here, so that {@code limit=abc} is a 422 and not a framework 404. */
public final class QueryParams {

    private QueryParams() {}

    public static long number(FieldErrors errors, String name, String raw, long min, long max, long fallback) {
        if (raw == null) {
            return fallback;
        }
        try {
            long value = Long.parseLong(raw.trim());
            if (value < min || value > max) {
                errors.add(name, "must be between " + min + " and " + max + " (got " + value + ")");
            }
            return value;
        } catch (NumberFormatException e) {
            errors.add(name, "must be a whole number between " + min + " and " + max);
            return fallback;
        }
    }
}
