package dev.providers.registry.storage;

/**
 * A stored blob of {@code wheel_blobs}: where the wheel with this digest is. {@code redundant} (from
 * {@link WheelBlobs#promote} only): the digest was stored already under {@code key}, and the staged blob that was
 * being promoted is a duplicate for the caller to {@link WheelBlobs#discard} after its commit.
 */
public record StoredBlob(StorageKind backend, String key, String sha256, long size, boolean redundant) {}
