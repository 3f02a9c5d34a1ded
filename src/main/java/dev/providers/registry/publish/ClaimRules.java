package dev.providers.registry.publish;

import com.fasterxml.jackson.databind.JsonNode;
import dev.providers.registry.auth.Caller;
import dev.providers.registry.persistence.JsonText;
import dev.providers.registry.persistence.ProviderVersionEntity;
import dev.providers.registry.persistence.VersionTombstoneEntity;
import dev.providers.registry.problem.FieldError;
import dev.providers.registry.problem.ProblemException;
import dev.providers.registry.problem.ProblemType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a claim does with what the ledger already holds for the version, decided apart from the transaction that
 * applies it ({@link VersionLedger#claim}): plain values in, a {@link Decision} or a {@link ProblemException} out.
 */
final class ClaimRules {

    /** What the claim does with the version's row. */
    enum Decision {
        /** No row holds the version: insert one. */
        CREATE,
        /** The version is published with what the request gives: answer it (200). */
        IDENTICAL,
        /** The version failed, or its building lease lapsed: this request takes the row over. */
        RETAKE
    }

    private final JsonText json;

    ClaimRules(JsonText json) {
        this.json = json;
    }

    /** The owner recorded for a provider that {@code caller} creates. */
    record Owner(String orgId, String name) {}

    /** The caller's organization; a platform publisher without one creates under the prefix's name. */
    static Owner ownerOfNew(Caller caller, String prefix) {
        return new Owner(
                caller.orgId() != null ? caller.orgId() : prefix,
                caller.orgName() != null ? caller.orgName() : caller.orgSlug() != null ? caller.orgSlug() : prefix);
    }

    /** The first publish through the console route must name and describe the provider. */
    static void requireFirstPublishMetadata(PublishCommand command) {
        List<FieldError> missing = new ArrayList<>();
        PublishCommand.CatalogMetadata metadata = command.metadata();
        if (metadata == null
                || metadata.displayName() == null
                || metadata.displayName().isBlank()) {
            missing.add(new FieldError("metadata.display_name", "is required for the first publish of a provider"));
        }
        if (metadata == null || metadata.description() == null) {
            missing.add(new FieldError("metadata.description", "is required for the first publish of a provider"));
        }
        if (!missing.isEmpty()) {
            throw ProblemException.validation(missing);
        }
    }

    /**
     * The digest a deleted provider's version reserved for this number (null: none). A request that declares
     * another digest, or another spelling of the number, is refused before anything is fetched.
     */
    static String reservedDigest(PublishCommand command, VersionTombstoneEntity tombstone) {
        if (tombstone == null) {
            return null;
        }
        if (!tombstone.version.equals(command.version().text())
                || (command.sha256() != null && !command.sha256().equals(tombstone.wheelSha256))) {
            throw new ProblemException(
                    ProblemType.VERSION_IMMUTABLE,
                    command.canonical() + " " + tombstone.version
                            + " was published before the provider was deleted; the number can be reused only with the "
                            + "identical wheel (sha256 " + tombstone.wheelSha256 + "); bump the version");
        }
        return tombstone.wheelSha256;
    }

    /**
     * @param existing the row that holds this version or its PEP 440 twin, or null
     * @throws ProblemException 409 for a twin, a published version with other content, a yanked version, and a
     *                          version another request is still building (with Retry-After)
     */
    Decision decide(PublishCommand command, ProviderVersionEntity existing, Instant now) {
        return decide(command, existing, now, PublishRoute.PUBLIC);
    }

    /**
     * As {@link #decide(PublishCommand, ProviderVersionEntity, Instant)}; on the upload route a version that exists in
     * any state but failed is a 409, an identical published one too (clients map 409 to "bump the version").
     */
    Decision decide(PublishCommand command, ProviderVersionEntity existing, Instant now, PublishRoute route) {
        if (existing == null) {
            return Decision.CREATE;
        }
        if (!existing.version.equals(command.version().text())) {
            throw new ProblemException(
                    ProblemType.VERSION_IMMUTABLE,
                    "version " + command.version().text()
                            + " collides with the existing version " + existing.version + " (both are "
                            + existing.pep440
                            + " in PEP 440 form)");
        }
        return switch (existing.statusAt(now)) {
            case PUBLISHED -> {
                if (route == PublishRoute.UPLOAD) {
                    throw new ProblemException(
                            ProblemType.VERSION_IMMUTABLE,
                            command.canonical() + " " + existing.version
                                    + " is already published; published versions are immutable; bump the version");
                }
                List<String> differences = differences(command, existing);
                if (!differences.isEmpty()) {
                    throw new ProblemException(
                            ProblemType.VERSION_IMMUTABLE,
                            "published versions are immutable; "
                                    + "bump the version (" + String.join(", ", differences) + " differ from "
                                    + command.canonical() + " " + existing.version + ")");
                }
                yield Decision.IDENTICAL;
            }
            case YANKED ->
                throw new ProblemException(
                        ProblemType.VERSION_IMMUTABLE,
                        command.canonical() + " " + existing.version
                                + " is yanked; published versions are immutable; bump the version");
            case BUILDING -> {
                long seconds =
                        Math.max(1, Duration.between(now, existing.leaseUntil).toSeconds());
                throw new ProblemException(
                        ProblemType.PUBLISH_IN_PROGRESS,
                        command.canonical() + " " + existing.version
                                + " is being published by another request; retry in " + seconds + "s",
                        null,
                        Map.of("Retry-After", Long.toString(Math.min(seconds, 60))));
            }
            case FAILED -> Decision.RETAKE;
        };
    }

    /** The fields of a re-publish that differ from the published row; only fields the request gave count. */
    List<String> differences(PublishCommand command, ProviderVersionEntity row) {
        List<String> differ = new ArrayList<>();
        if (!command.wheelUrl().value().equals(row.wheelUrl)) {
            differ.add("wheel_url");
        }
        if (command.sha256() != null && !command.sha256().equals(row.wheelSha256)) {
            differ.add("sha256");
        }
        if (command.packageName() != null && !command.packageName().equals(row.packageName)) {
            differ.add("package_name");
        }
        if (command.entrypoint() != null
                && !Objects.equals(json.tree(json.write(command.entrypoint())), json.tree(row.entrypoint))) {
            differ.add("entrypoint");
        }
        if (command.schemas() != null && !sameJson(command.schemas(), row.schemas)) {
            differ.add("schemas");
        }
        if (command.configSchema() != null && !sameJson(command.configSchema(), row.configSchema)) {
            differ.add("config_schema");
        }
        if (command.outputsSchema() != null && !sameJson(command.outputsSchema(), row.outputsSchema)) {
            differ.add("outputs_schema");
        }
        if (command.changelog() != null && !command.changelog().equals(row.changelog)) {
            differ.add("changelog");
        }
        return differ;
    }

    private boolean sameJson(JsonNode given, String stored) {
        return given.equals(json.tree(stored));
    }
}
