package dev.providers.registry.persistence;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Lifecycle of a provider version: building -> published | failed; published <-> yanked. */
public enum VersionStatus {
    BUILDING,
    PUBLISHED,
    FAILED,
    YANKED;

    /** The statuses anyone may see; a provider with none of them exists only for its owner. */
    public static final List<VersionStatus> PUBLIC = List.of(PUBLISHED, YANKED);

    /** {@link #PUBLIC} as the right-hand side of an SQL {@code IN}: {@code ('published', 'yanked')}. */
    public static final String PUBLIC_SQL =
            PUBLIC.stream().map(s -> "'" + s.wire() + "'").collect(Collectors.joining(", ", "(", ")"));

    public boolean isPublic() {
        return PUBLIC.contains(this);
    }

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static VersionStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
