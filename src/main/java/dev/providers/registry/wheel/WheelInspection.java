package dev.providers.registry.wheel;

/**
 * Result of a successful {@link WheelStreamVerifier#finish}.
 *
 * @param sha256Hex    lower-case hex SHA-256 of every byte streamed
 * @param size         number of bytes streamed
 * @param packageName  the requested package name when one was given, else the inferred one, else {@code null}
 * @param entryCount   number of central-directory entries in the archive
 * @param coreMetadata the dist-info's {@code METADATA} captured on the way ({@link CoreMetadataCapture}), or
 *                     {@code null} when the wheel has none that could be kept (over 1 MiB, say)
 */
public record WheelInspection(
        String sha256Hex, long size, String packageName, int entryCount, CoreMetadata coreMetadata) {

    public WheelInspection(String sha256Hex, long size, String packageName, int entryCount) {
        this(sha256Hex, size, packageName, entryCount, null);
    }
}
