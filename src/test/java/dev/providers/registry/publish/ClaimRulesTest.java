package dev.providers.registry.publish;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.providers.registry.auth.Caller;
import dev.providers.registry.identity.SemVer;
import dev.providers.registry.identity.WheelUrl;
import dev.providers.registry.persistence.JsonText;
import dev.providers.registry.persistence.ProviderVersionEntity;
import dev.providers.registry.persistence.VersionStatus;
import dev.providers.registry.persistence.VersionTombstoneEntity;
import dev.providers.registry.problem.FieldError;
import dev.providers.registry.problem.ProblemException;
import dev.providers.registry.problem.ProblemType;
import dev.providers.registry.wheel.WheelFileName;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every decision of a claim, without a database: plain commands and rows in, a decision or a problem out. */
class ClaimRulesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final String URL = "https://wheels.example.test/acme_db-1.0.0-py3-none-any.whl";
    private static final String SHA = "a".repeat(64);

    private final JsonText json = new JsonText(MAPPER);
    private final ClaimRules rules = new ClaimRules(json);

    // ---------------------------------------------------------------- the row that holds the version

    @Test
    void noRowCreatesOne() {
        assertEquals(ClaimRules.Decision.CREATE, rules.decide(command("1.0.0"), null, NOW));
    }

    @Test
    void aPep440TwinCollides() {
        ProblemException e = refused(() -> rules.decide(command("1.0.0-rc.1"), published("1.0.0-RC.1"), NOW));
        assertEquals(ProblemType.VERSION_IMMUTABLE, e.type());
        assertEquals(
                "version 1.0.0-rc.1 collides with the existing version 1.0.0-RC.1 (both are 1.0.0rc1 in PEP 440 "
                        + "form)",
                e.detail());
    }

    @Test
    void thePublishedVersionWithTheSameContentIsIdentical() {
        ProviderVersionEntity row = published("1.0.0");
        row.packageName = "acme_db";
        row.entrypoint = "[\"python\", \"-m\", \"acme\"]";
        row.schemas = "[{\"resource\": \"db\", \"provider\": \"acme\"}]";
        PublishCommand command = command(
                "1.0.0",
                SHA,
                "acme_db",
                List.of("python", "-m", "acme"),
                tree("[{\"provider\":\"acme\",\"resource\":\"db\"}]"),
                null,
                null,
                null);
        assertEquals(ClaimRules.Decision.IDENTICAL, rules.decide(command, row, NOW));
    }

    @Test
    void fieldsTheRequestLeavesOutDoNotCount() {
        ProviderVersionEntity row = published("1.0.0");
        row.packageName = "acme_db";
        row.changelog = "first";
        row.configSchema = "{\"type\":\"object\"}";
        assertEquals(ClaimRules.Decision.IDENTICAL, rules.decide(command("1.0.0"), row, NOW));
    }

    @Test
    void everyDifferingFieldIsNamed() {
        ProviderVersionEntity row = published("1.0.0");
        row.packageName = "acme_db";
        row.entrypoint = "[\"a\"]";
        row.schemas = "[]";
        row.configSchema = "{}";
        row.outputsSchema = "{}";
        row.changelog = "first";
        PublishCommand command = new PublishCommand(
                "acme",
                "db",
                SemVer.parse("1.0.0"),
                WheelUrl.normalize(URL.replace("wheels.", "other.")),
                WheelFileName.parse("acme_db-1.0.0-py3-none-any.whl"),
                "b".repeat(64),
                "acme",
                tree("[{}]"),
                tree("{\"a\":1}"),
                tree("{\"b\":1}"),
                null,
                "second",
                List.of("b"));
        assertEquals(
                List.of(
                        "wheel_url",
                        "sha256",
                        "package_name",
                        "entrypoint",
                        "schemas",
                        "config_schema",
                        "outputs_schema",
                        "changelog"),
                rules.differences(command, row));
        ProblemException e = refused(() -> rules.decide(command, row, NOW));
        assertEquals(ProblemType.VERSION_IMMUTABLE, e.type());
        assertEquals(
                "published versions are immutable; bump the version (wheel_url, sha256, package_name, entrypoint, "
                        + "schemas, config_schema, outputs_schema, changelog differ from acme/db 1.0.0)",
                e.detail());
    }

    @Test
    void oneDifferingFieldIsNamedAlone() {
        ProviderVersionEntity row = published("1.0.0");
        row.changelog = "first";
        PublishCommand command = command("1.0.0", null, null, null, null, null, null, "second");
        assertEquals(List.of("changelog"), rules.differences(command, row));
    }

    @Test
    void aYankedVersionIsNotTakenAgain() {
        ProviderVersionEntity row = published("1.0.0");
        row.status = VersionStatus.YANKED;
        ProblemException e = refused(() -> rules.decide(command("1.0.0"), row, NOW));
        assertEquals(ProblemType.VERSION_IMMUTABLE, e.type());
        assertEquals("acme/db 1.0.0 is yanked; published versions are immutable; bump the version", e.detail());
    }

    @Test
    void aVersionBeingBuiltAsksToRetryWhenItsLeaseEnds() {
        ProviderVersionEntity row = building("1.0.0", NOW.plusSeconds(30));
        ProblemException e = refused(() -> rules.decide(command("1.0.0"), row, NOW));
        assertEquals(ProblemType.PUBLISH_IN_PROGRESS, e.type());
        assertEquals("acme/db 1.0.0 is being published by another request; retry in 30s", e.detail());
        assertEquals(Map.of("Retry-After", "30"), e.headers());
    }

    @Test
    void retryAfterIsAtLeastOneAndAtMostSixtySeconds() {
        assertEquals(
                "1",
                refused(() -> rules.decide(command("1.0.0"), building("1.0.0", NOW.plusMillis(200)), NOW))
                        .headers()
                        .get("Retry-After"));
        ProblemException late =
                refused(() -> rules.decide(command("1.0.0"), building("1.0.0", NOW.plusSeconds(600)), NOW));
        assertEquals("60", late.headers().get("Retry-After"));
        assertEquals("acme/db 1.0.0 is being published by another request; retry in 600s", late.detail());
    }

    @Test
    void aLapsedLeaseIsTakenOver() {
        assertEquals(
                ClaimRules.Decision.RETAKE,
                rules.decide(command("1.0.0"), building("1.0.0", NOW.minusSeconds(1)), NOW));
    }

    @Test
    void anUploadOfAPublishedVersionIs409EvenWhenIdentical() {
        ProviderVersionEntity row = published("1.0.0");
        ProblemException e = refused(() -> rules.decide(command("1.0.0"), row, NOW, PublishRoute.UPLOAD));
        assertEquals(ProblemType.VERSION_IMMUTABLE, e.type());
        assertEquals(
                "acme/db 1.0.0 is already published; published versions are immutable; bump the version", e.detail());
        assertEquals(ClaimRules.Decision.IDENTICAL, rules.decide(command("1.0.0"), row, NOW, PublishRoute.PUBLIC));
    }

    @Test
    void anUploadTakesOverOnlyAFailedVersion() {
        ProviderVersionEntity row = published("1.0.0");
        row.status = VersionStatus.FAILED;
        assertEquals(ClaimRules.Decision.RETAKE, rules.decide(command("1.0.0"), row, NOW, PublishRoute.UPLOAD));
        assertEquals(
                ProblemType.PUBLISH_IN_PROGRESS,
                refused(() -> rules.decide(
                                command("1.0.0"), building("1.0.0", NOW.plusSeconds(30)), NOW, PublishRoute.UPLOAD))
                        .type());
    }

    @Test
    void aFailedVersionIsTakenOver() {
        ProviderVersionEntity row = building("1.0.0", null);
        row.status = VersionStatus.FAILED;
        row.wheelUrl = "https://elsewhere.example.test/acme_db-1.0.0-py3-none-any.whl";
        assertEquals(ClaimRules.Decision.RETAKE, rules.decide(command("1.0.0"), row, NOW));
    }

    // ---------------------------------------------------------------- tombstones of deleted providers

    @Test
    void noTombstoneReservesNothing() {
        assertNull(ClaimRules.reservedDigest(command("1.0.0"), null));
    }

    @Test
    void aTombstoneReservesItsDigest() {
        assertEquals(SHA, ClaimRules.reservedDigest(command("1.0.0"), tombstone("1.0.0")));
        assertEquals(
                SHA,
                ClaimRules.reservedDigest(
                        command("1.0.0", SHA, null, null, null, null, null, null), tombstone("1.0.0")));
    }

    @Test
    void anotherDeclaredDigestIsRefusedBeforeTheFetch() {
        ProblemException e = refused(() -> ClaimRules.reservedDigest(
                command("1.0.0", "b".repeat(64), null, null, null, null, null, null), tombstone("1.0.0")));
        assertEquals(ProblemType.VERSION_IMMUTABLE, e.type());
        assertEquals(
                "acme/db 1.0.0 was published before the provider was deleted; the number can be reused only "
                        + "with the identical wheel (sha256 " + SHA + "); bump the version",
                e.detail());
    }

    @Test
    void anotherSpellingOfTheNumberIsRefused() {
        ProblemException e = refused(() -> ClaimRules.reservedDigest(command("1.0.0-rc.1"), tombstone("1.0.0-RC.1")));
        assertEquals(ProblemType.VERSION_IMMUTABLE, e.type());
        assertEquals(
                "acme/db 1.0.0-RC.1 was published before the provider was deleted; the number can be reused "
                        + "only with the identical wheel (sha256 " + SHA + "); bump the version",
                e.detail());
    }

    // ---------------------------------------------------------------- a new provider

    @Test
    void aNewProviderBelongsToTheCallersOrganization() {
        assertEquals(
                new ClaimRules.Owner("org_1", "Acme Inc"),
                ClaimRules.ownerOfNew(new Caller("s", null, "acme", "org_1", "Acme Inc", Set.of(), null), "acme"));
        assertEquals(
                new ClaimRules.Owner("org_1", "acme"),
                ClaimRules.ownerOfNew(new Caller("s", null, "acme", "org_1", null, Set.of(), null), "acme"));
    }

    @Test
    void aPublisherWithoutOrganizationCreatesUnderThePrefix() {
        assertEquals(
                new ClaimRules.Owner("platform", "platform"),
                ClaimRules.ownerOfNew(
                        new Caller("p", null, null, null, null, Set.of("platform-publisher"), null), "platform"));
    }

    // ---------------------------------------------------------------- the console route's first publish

    @Test
    void aFirstConsolePublishNeedsNameAndDescription() {
        ProblemException e = refused(() -> ClaimRules.requireFirstPublishMetadata(command("1.0.0")));
        assertEquals(ProblemType.VALIDATION, e.type());
        assertEquals(
                List.of(
                        new FieldError("metadata.display_name", "is required for the first publish of a provider"),
                        new FieldError("metadata.description", "is required for the first publish of a provider")),
                e.errors());
    }

    @Test
    void aBlankDisplayNameIsMissingButAnEmptyDescriptionIsGiven() {
        ProblemException e = refused(() -> ClaimRules.requireFirstPublishMetadata(
                withMetadata(new PublishCommand.CatalogMetadata(" ", "", null, null))));
        assertEquals(
                List.of(new FieldError("metadata.display_name", "is required for the first publish of a provider")),
                e.errors());
        ProblemException noDescription = refused(() -> ClaimRules.requireFirstPublishMetadata(
                withMetadata(new PublishCommand.CatalogMetadata("Acme", null, null, null))));
        assertEquals(
                List.of(new FieldError("metadata.description", "is required for the first publish of a provider")),
                noDescription.errors());
        assertDoesNotThrow(() -> ClaimRules.requireFirstPublishMetadata(
                withMetadata(new PublishCommand.CatalogMetadata("Acme", "", null, null))));
    }

    // ---------------------------------------------------------------- helpers

    private static ProblemException refused(Executable decision) {
        return assertThrows(ProblemException.class, decision);
    }

    private static PublishCommand command(String version) {
        return command(version, null, null, null, null, null, null, null);
    }

    private static PublishCommand command(
            String version,
            String sha256,
            String packageName,
            List<String> entrypoint,
            JsonNode schemas,
            JsonNode configSchema,
            JsonNode outputsSchema,
            String changelog) {
        SemVer semVer = SemVer.parse(version);
        String fileName = "acme_db-" + semVer.pep440() + "-py3-none-any.whl";
        return new PublishCommand(
                "acme",
                "db",
                semVer,
                WheelUrl.normalize("https://wheels.example.test/" + fileName),
                WheelFileName.parse(fileName),
                sha256,
                packageName,
                schemas,
                configSchema,
                outputsSchema,
                null,
                changelog,
                entrypoint);
    }

    private static PublishCommand withMetadata(PublishCommand.CatalogMetadata metadata) {
        PublishCommand c = command("1.0.0");
        return new PublishCommand(
                c.prefix(),
                c.name(),
                c.version(),
                c.wheelUrl(),
                c.fileName(),
                c.sha256(),
                c.packageName(),
                c.schemas(),
                c.configSchema(),
                c.outputsSchema(),
                metadata,
                c.changelog(),
                c.entrypoint());
    }

    private static ProviderVersionEntity published(String version) {
        ProviderVersionEntity row = new ProviderVersionEntity();
        row.prefix = "acme";
        row.name = "db";
        row.version = version;
        row.pep440 = SemVer.parse(version).pep440();
        row.status = VersionStatus.PUBLISHED;
        row.wheelUrl = WheelUrl.normalize("https://wheels.example.test/acme_db-" + row.pep440 + "-py3-none-any.whl")
                .value();
        row.wheelSha256 = SHA;
        return row;
    }

    private static ProviderVersionEntity building(String version, Instant leaseUntil) {
        ProviderVersionEntity row = published(version);
        row.status = VersionStatus.BUILDING;
        row.wheelSha256 = null;
        row.leaseUntil = leaseUntil;
        return row;
    }

    private static VersionTombstoneEntity tombstone(String version) {
        VersionTombstoneEntity tombstone = new VersionTombstoneEntity();
        tombstone.prefix = "acme";
        tombstone.name = "db";
        tombstone.version = version;
        tombstone.pep440 = SemVer.parse(version).pep440();
        tombstone.wheelSha256 = SHA;
        return tombstone;
    }

    private static JsonNode tree(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
