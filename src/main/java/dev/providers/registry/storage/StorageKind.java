package dev.providers.registry.storage;

import java.util.Locale;

/** {@code registry.storage.kind}; its lower-case name is what version rows and wheel_blobs record as backend. */
public enum StorageKind {
    POSTGRES,
    S3;

    public String column() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static StorageKind fromColumn(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
