package dev.providers.registry.simple;

/**
 * One file of a project page.
 *
 * @param filename           the wheel's file name (the link text; pip reads the version from it)
 * @param url                where pip downloads it (relative to the server root or absolute), without fragment
 * @param sha256             lower-case hex SHA-256 of the wheel, as verified at publish
 * @param requiresPython     the wheel's {@code Requires-Python}, or {@code null}
 * @param yanked             PEP 592
 * @param yankedReason       the reason given when yanking, or {@code null}
 * @param coreMetadataSha256 SHA-256 of its METADATA file, served at {@code url + ".metadata"}; {@code null} if none
 */
public record SimpleFile(
        String filename,
        String url,
        String sha256,
        String requiresPython,
        boolean yanked,
        String yankedReason,
        String coreMetadataSha256) {}
