package dev.providers.registry.http;

import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The one request body limit. Its source is Quarkus's own {@code quarkus.http.limits.max-body-size} (5M in
 * application.properties) rather than a registry key of its own: Quarkus enforces that key too (on declared lengths and
 * on bodies it reads), so a second key could only disagree with it. Both of our checks read it from here: the declared
 * {@code Content-Length} in {@link HttpEdgeFilter} and the counted body of unknown length in {@link UnknownLengthBody}.
 */
@ApplicationScoped
public class BodyLimit {

    private static final long KIB = 1024;
    private static final long MIB = 1024 * KIB;

    private final long maxBytes;
    private final String detail;

    public BodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this.maxBytes = maxBodySize.asLongValue();
        this.detail = "the request body exceeds the " + human(maxBytes) + " limit";
    }

    public long maxBytes() {
        return maxBytes;
    }

    public boolean exceededBy(long bytes) {
        return bytes > maxBytes;
    }

    /** "the request body exceeds the 5 MiB limit". */
    public String detail() {
        return detail;
    }

    public static String human(long bytes) {
        if (bytes % MIB == 0) {
            return bytes / MIB + " MiB";
        }
        if (bytes % KIB == 0) {
            return bytes / KIB + " KiB";
        }
        return bytes + " bytes";
    }
}
