package dev.providers.registry.storage;

/** TEMPORARY placeholder of the store branch's record (removed before merging it): the agreed contract only. */
public record StoredBlob(StorageKind backend, String key, String sha256, long size, boolean redundant) {}
