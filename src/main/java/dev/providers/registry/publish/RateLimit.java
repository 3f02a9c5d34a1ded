package dev.providers.registry.publish;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code registry.publish.rate-limit}: {@code <count>/<window>}, e.g. {@code 30/1m}, {@code 1000/1h}, {@code 5/10s}. */
public record RateLimit(int publishes, Duration window) {

    private static final Pattern FORM = Pattern.compile("\\s*(\\d{1,9})\\s*/\\s*(\\d{0,9})\\s*(ms|s|m|h|d)\\s*");

    public static RateLimit parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "registry.publish.rate-limit must look like 30/1m (count/window), got '" + text + "'");
        }
        int count = Integer.parseInt(m.group(1));
        long amount = m.group(2).isEmpty() ? 1 : Long.parseLong(m.group(2));
        Duration window = switch (m.group(3)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
        if (count < 1 || window.toMillis() < 1000) {
            throw new IllegalArgumentException(
                    "registry.publish.rate-limit needs a count >= 1 and a window >= 1s, got '" + text + "'");
        }
        return new RateLimit(count, window);
    }
}
