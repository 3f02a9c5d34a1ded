package dev.providers.registry.publish;

import dev.providers.registry.db.DatabaseDeadline;
import dev.providers.registry.persistence.Timestamps;
import com.fasterxml.jackson.databind.JsonNode;
import dev.providers.registry.auth.Caller;
import dev.providers.registry.auth.NamespacePolicy;
import dev.providers.registry.catalog.AuditLog;
import dev.providers.registry.catalog.LatestVersions;
import dev.providers.registry.config.RegistryConfig;
import dev.providers.registry.wheel.WheelInspection;
import dev.providers.registry.persistence.JsonText;
import dev.providers.registry.persistence.ProviderEntity;
import dev.providers.registry.persistence.ProviderRepository;
import dev.providers.registry.persistence.ProviderVersionEntity;
import dev.providers.registry.persistence.ProviderVersionRepository;
import dev.providers.registry.persistence.RuntimeVersionEntity;
import dev.providers.registry.persistence.RuntimeVersionRepository;
import dev.providers.registry.persistence.VersionStatus;
import dev.providers.registry.persistence.VersionTombstoneEntity;
import dev.providers.registry.persistence.VersionTombstoneRepository;
import dev.providers.registry.problem.FieldError;
import dev.providers.registry.problem.ProblemException;
import dev.providers.registry.problem.ProblemType;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The two short transactions of a publish: {@link #claim} before the wheel is fetched and {@link #publish} or
 * {@link #fail} after. No transaction is open while the wheel downloads; a finalize only applies while the row
 * still belongs to its attempt.
 */
@ApplicationScoped
@DatabaseDeadline
public class VersionLedger {

    private final ProviderRepository providers;
    private final ProviderVersionRepository versions;
    private final RuntimeVersionRepository runtimes;
    private final VersionTombstoneRepository tombstones;
    private final PublishLimits limits;
    private final NamespacePolicy policy;
    private final LatestVersions latest;
    private final AuditLog audit;
    private final JsonText json;
    private final Duration lease;

    public VersionLedger(ProviderRepository providers, ProviderVersionRepository versions,
            RuntimeVersionRepository runtimes, VersionTombstoneRepository tombstones, PublishLimits limits,
            NamespacePolicy policy, LatestVersions latest, AuditLog audit, JsonText json, RegistryConfig config) {
        this.providers = providers;
        this.versions = versions;
        this.runtimes = runtimes;
        this.tombstones = tombstones;
        this.limits = limits;
        this.policy = policy;
        this.latest = latest;
        this.audit = audit;
        this.json = json;
        this.lease = config.fetch().deadline().plus(config.publish().leaseMargin());
    }

    @WithTransaction
    public Uni<Claim> claim(PublishCommand command, Caller caller, PublishRoute route) {
        Instant now = Timestamps.now();
        return limits.countPublish(caller, command.prefix(), now)
                .flatMap(counted -> lockProvider(command, caller, route, now))
                .flatMap(provider -> runtimes.highestPinnable()
                        .onItem().ifNull().failWith(() -> new ProblemException(ProblemType.NO_RUNTIME_VERSION,
                                "no runtime version is registered yet; a platform publisher registers one with "
                                        + "POST /console/runtime/versions"))
                        .flatMap(runtime -> versions.findSameVersion(command.prefix(), command.name(),
                                        command.version().text(), command.version().pep440())
                                .flatMap(existing -> tombstones.find(command.prefix(), command.name(),
                                                command.version().pep440())
                                        .flatMap(tombstone -> decide(command, provider, runtime, existing,
                                                reservedDigest(command, tombstone), now))))
                        .call(claim -> claim instanceof Claim.Attempt
                                ? limits.admitFetch(provider.ownerOrgId, now) : Uni.createFrom().voidItem()));
    }

    private Uni<ProviderEntity> lockProvider(PublishCommand command, Caller caller, PublishRoute route, Instant now) {
        String prefix = command.prefix();
        return providers.findLiveForUpdate(prefix, command.name()).flatMap(found -> {
            if (found != null) {
                policy.authorizeOwner(caller, prefix, found.ownerOrgId);
                return Uni.createFrom().item(found);
            }
            policy.authorizeCreate(caller, prefix);
            if (route == PublishRoute.CONSOLE) {
                requireFirstPublishMetadata(command);
            }
            String ownerId = caller.orgId() != null ? caller.orgId() : prefix;
            String ownerName = caller.orgName() != null ? caller.orgName()
                    : caller.orgSlug() != null ? caller.orgSlug() : prefix;
            return providers.insertIfAbsent(prefix, command.name(), ownerId, ownerName, now)
                    .flatMap(inserted -> providers.findLiveForUpdate(prefix, command.name()))
                    .invoke(created -> policy.authorizeOwner(caller, prefix, created.ownerOrgId));
        });
    }

    private static void requireFirstPublishMetadata(PublishCommand command) {
        List<FieldError> missing = new ArrayList<>();
        PublishCommand.CatalogMetadata metadata = command.metadata();
        if (metadata == null || metadata.displayName() == null || metadata.displayName().isBlank()) {
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
    private static String reservedDigest(PublishCommand command, VersionTombstoneEntity tombstone) {
        if (tombstone == null) {
            return null;
        }
        if (!tombstone.version.equals(command.version().text())
                || (command.sha256() != null && !command.sha256().equals(tombstone.wheelSha256))) {
            throw reusedWithOtherContent(command, tombstone);
        }
        return tombstone.wheelSha256;
    }

    private Uni<Claim> decide(PublishCommand command, ProviderEntity provider, RuntimeVersionEntity runtime,
            ProviderVersionEntity existing, String reservedSha256, Instant now) {
        if (existing == null) {
            return claimNew(command, provider, runtime, reservedSha256, now);
        }
        if (!existing.version.equals(command.version().text())) {
            throw new ProblemException(ProblemType.VERSION_IMMUTABLE, "version " + command.version().text()
                    + " collides with the existing version " + existing.version + " (both are " + existing.pep440
                    + " in PEP 440 form)");
        }
        if (existing.status == VersionStatus.PUBLISHED) {
            List<String> differences = differences(command, existing);
            if (!differences.isEmpty()) {
                throw new ProblemException(ProblemType.VERSION_IMMUTABLE, "published versions are immutable; bump "
                        + "the version (" + String.join(", ", differences) + " differ from " + command.canonical()
                        + " " + existing.version + ")");
            }
            return applyMetadata(provider, command, now).replaceWith(new Claim.AlreadyPublished(existing));
        }
        if (existing.status == VersionStatus.YANKED) {
            throw new ProblemException(ProblemType.VERSION_IMMUTABLE, command.canonical() + " " + existing.version
                    + " is yanked; published versions are immutable; bump the version");
        }
        if (existing.status == VersionStatus.BUILDING && !existing.leaseLapsed(now)) {
            long seconds = Math.max(1, Duration.between(now, existing.leaseUntil).toSeconds());
            throw new ProblemException(ProblemType.PUBLISH_IN_PROGRESS, command.canonical() + " "
                    + existing.version + " is being published by another request; retry in " + seconds + "s",
                    null, Map.of("Retry-After", Long.toString(Math.min(seconds, 60))));
        }
        // failed, or building with a lapsed lease: this request takes the row over.
        return Uni.createFrom().item(retake(existing, command, runtime, reservedSha256, now));
    }

    private Uni<Claim> claimNew(PublishCommand command, ProviderEntity provider, RuntimeVersionEntity runtime,
            String reservedSha256, Instant now) {
        ProviderVersionEntity row = new ProviderVersionEntity();
        row.providerId = provider.id;
        row.prefix = command.prefix();
        row.name = command.name();
        row.version = command.version().text();
        row.pep440 = command.version().pep440();
        row.precedenceKey = command.version().precedenceKey();
        row.preRelease = command.version().isPreRelease();
        row.createdAt = now;
        beginAttempt(row, command, runtime, now);
        return versions.persist(row).replaceWith(
                () -> new Claim.Attempt(row.id, provider.id, row.attemptId, null, reservedSha256));
    }

    static ProblemException reusedWithOtherContent(PublishCommand command, VersionTombstoneEntity tombstone) {
        return new ProblemException(ProblemType.VERSION_IMMUTABLE, command.canonical() + " " + tombstone.version
                + " was published before the provider was deleted; the number can be reused only with the identical "
                + "wheel (sha256 " + tombstone.wheelSha256 + "); bump the version");
    }

    private Claim retake(ProviderVersionEntity row, PublishCommand command, RuntimeVersionEntity runtime,
            String reservedSha256, Instant now) {
        VersionStatus before = row.leaseLapsed(now) ? VersionStatus.FAILED : row.status;
        beginAttempt(row, command, runtime, now);
        return new Claim.Attempt(row.id, row.providerId, row.attemptId, before, reservedSha256);
    }

    /** (Re)sets a row to building with this request's fields, a new attempt id and a new lease. */
    private void beginAttempt(ProviderVersionEntity row, PublishCommand command, RuntimeVersionEntity runtime,
            Instant now) {
        row.status = VersionStatus.BUILDING;
        row.runtimeVersion = runtime.version;
        row.wheelUrl = command.wheelUrl().value();
        row.requestedSha256 = command.sha256();
        row.wheelSha256 = null;
        row.packageName = command.packageName();
        row.entrypoint = json.write(command.entrypoint());
        row.schemas = json.write(command.schemas());
        row.configSchema = json.write(command.configSchema());
        row.outputsSchema = json.write(command.outputsSchema());
        row.changelog = command.changelog();
        row.metadata = json.write(command.metadata());
        row.attemptId = UUID.randomUUID();
        row.leaseUntil = now.plus(lease);
        row.errorMessage = null;
        row.publishedAt = null;
        row.updatedAt = now;
    }

    /** The fields of a re-publish that differ from the published row; only fields the request gave count. */
    private List<String> differences(PublishCommand command, ProviderVersionEntity row) {
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
        if (command.entrypoint() != null && !Objects.equals(json.tree(json.write(command.entrypoint())), json.tree(row.entrypoint))) {
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

    @WithTransaction
    public Uni<ProviderVersionEntity> publish(Claim.Attempt attempt, PublishCommand command, WheelInspection wheel,
            Caller caller) {
        Instant now = Timestamps.now();
        // The provider row first (the order of the claim): concurrent finalizes of one provider then run one after
        // the other, and each recomputes latest_version with the versions the previous one published.
        return providers.findById(attempt.providerId(), LockModeType.PESSIMISTIC_WRITE)
                .flatMap(provider -> versions.markPublished(attempt.versionId(), attempt.attemptId(),
                        wheel.sha256Hex(), wheel.packageName(), now).map(row -> {
                            if (row == null) {
                                throw new ProblemException(ProblemType.PUBLISH_IN_PROGRESS, command.canonical() + " "
                                        + command.version().text() + ": this publish attempt lost its lease to a "
                                        + "newer one and was not applied", null, Map.of("Retry-After", "1"));
                            }
                            applyCatalogMetadata(provider, command);
                            latest.afterPublish(provider, command.version(), now);
                            return row;
                        }))
                .call(row -> audit.record(command.canonical(), command.version().text(), "publish", caller,
                        attempt.statusBefore(), VersionStatus.PUBLISHED, "sha256 " + wheel.sha256Hex(), now));
    }

    @WithTransaction
    public Uni<Integer> fail(Claim.Attempt attempt, PublishCommand command, Caller caller, String message) {
        Instant now = Timestamps.now();
        return versions.markFailed(attempt.versionId(), attempt.attemptId(), message, now)
                .call(updated -> updated == 0 ? Uni.createFrom().voidItem()
                        : audit.record(command.canonical(), command.version().text(), "publish-failed", caller,
                                attempt.statusBefore(), VersionStatus.FAILED, message, now));
    }

    /** Catalog metadata of a successful publish (201 or 200) and the recomputed latest version. */
    private Uni<Void> applyMetadata(ProviderEntity provider, PublishCommand command, Instant now) {
        applyCatalogMetadata(provider, command);
        return latest.refresh(provider, now);
    }

    private void applyCatalogMetadata(ProviderEntity provider, PublishCommand command) {
        PublishCommand.CatalogMetadata metadata = command.metadata();
        if (metadata != null) {
            if (metadata.displayName() != null) {
                provider.displayName = metadata.displayName();
            }
            if (metadata.description() != null) {
                provider.description = metadata.description();
            }
            if (metadata.iconUrl() != null) {
                provider.iconUrl = metadata.iconUrl();
            }
            if (metadata.tags() != null) {
                provider.tags = json.write(metadata.tags());
            }
        }
    }
}
