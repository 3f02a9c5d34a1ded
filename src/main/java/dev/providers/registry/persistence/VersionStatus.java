package dev.providers.registry.persistence;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Lifecycle of a provider version: building -> published | failed; published <-> yanked. */
public enum VersionStatus {
    BUILDING, PUBLISHED, FAILED, YANKED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static VersionStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
