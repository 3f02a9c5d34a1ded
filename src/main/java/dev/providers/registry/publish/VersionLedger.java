package dev.providers.registry.publish;

import dev.providers.registry.auth.Caller;
import dev.providers.registry.auth.NamespacePolicy;
import dev.providers.registry.catalog.AuditLog;
import dev.providers.registry.catalog.LatestVersions;
import dev.providers.registry.config.RegistryConfig;
import dev.providers.registry.db.DatabaseDeadline;
import dev.providers.registry.persistence.JsonText;
import dev.providers.registry.persistence.ProviderEntity;
import dev.providers.registry.persistence.ProviderRepository;
import dev.providers.registry.persistence.ProviderVersionEntity;
import dev.providers.registry.persistence.ProviderVersionRepository;
import dev.providers.registry.persistence.ProviderVersionRepository.StoredWheel;
import dev.providers.registry.persistence.RuntimeVersionEntity;
import dev.providers.registry.persistence.RuntimeVersionRepository;
import dev.providers.registry.persistence.Timestamps;
import dev.providers.registry.persistence.VersionStatus;
import dev.providers.registry.persistence.VersionTombstoneEntity;
import dev.providers.registry.persistence.VersionTombstoneRepository;
import dev.providers.registry.persistence.WheelFileRecords;
import dev.providers.registry.problem.ProblemException;
import dev.providers.registry.problem.ProblemType;
import dev.providers.registry.storage.StorageKind;
import dev.providers.registry.storage.StoredBlob;
import dev.providers.registry.storage.WheelBlobs;
import dev.providers.registry.wheel.WheelInspection;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The short transactions of a publish: {@link #claim} before the wheel is fetched, then {@link #finish} or
 * {@link #fail} after. No transaction is open while the wheel downloads; a finish or fail only applies while the row
 * still belongs to its attempt. What a claim decides is {@link ClaimRules}; this class applies it.
 */
@ApplicationScoped
@DatabaseDeadline
public class VersionLedger {

    private static final Logger LOG = Logger.getLogger(VersionLedger.class);

    private final ProviderRepository providers;
    private final ProviderVersionRepository versions;
    private final RuntimeVersionRepository runtimes;
    private final VersionTombstoneRepository tombstones;
    private final PublishLimits limits;
    private final NamespacePolicy policy;
    private final LatestVersions latest;
    private final AuditLog audit;
    private final JsonText json;
    private final ClaimRules rules;
    private final Duration lease;
    private final Duration uploadLease;
    private final StorageKind storage;
    private final WheelBlobs blobs;

    /** The simple index's columns (file name, project, METADATA), written by {@link #finish}. */
    @Inject
    WheelFileRecords wheelFiles;

    public VersionLedger(
            ProviderRepository providers,
            ProviderVersionRepository versions,
            RuntimeVersionRepository runtimes,
            VersionTombstoneRepository tombstones,
            PublishLimits limits,
            NamespacePolicy policy,
            LatestVersions latest,
            AuditLog audit,
            JsonText json,
            WheelBlobs blobs,
            RegistryConfig config) {
        this.providers = providers;
        this.versions = versions;
        this.runtimes = runtimes;
        this.tombstones = tombstones;
        this.limits = limits;
        this.policy = policy;
        this.latest = latest;
        this.audit = audit;
        this.json = json;
        this.rules = new ClaimRules(json);
        this.blobs = blobs;
        this.lease = config.fetch().deadline().plus(config.publish().leaseMargin());
        this.uploadLease =
                config.storage().uploadDeadline().plus(config.publish().leaseMargin());
        this.storage = config.storage().kind();
    }

    /** An attempt's lease: the fetch deadline, or for an upload the upload deadline, plus the lease margin. */
    private Duration lease(PublishCommand command) {
        return command.hosted() ? uploadLease : lease;
    }

    // ---------------------------------------------------------------- claim: before the fetch

    @WithTransaction
    public Uni<Claim> claim(PublishCommand command, Caller caller, PublishRoute route) {
        Instant now = Timestamps.now();
        return limits.countPublish(caller, command.prefix(), now)
                .flatMap(counted -> lockProvider(command, caller, route, now))
                .flatMap(provider -> runtimes.highestPinnable()
                        .onItem()
                        .ifNull()
                        .failWith(() -> new ProblemException(
                                ProblemType.NO_RUNTIME_VERSION,
                                "no runtime version is registered yet; a platform publisher registers one with "
                                        + "POST /console/runtime/versions"))
                        .flatMap(runtime -> versions.findSameVersion(
                                        command.prefix(),
                                        command.name(),
                                        command.version().text(),
                                        command.version().pep440())
                                .flatMap(existing -> tombstones
                                        .find(
                                                command.prefix(),
                                                command.name(),
                                                command.version().pep440())
                                        .flatMap(tombstone ->
                                                apply(command, route, provider, runtime, existing, tombstone, now))))
                        .call(claim -> claim instanceof Claim.Attempt
                                ? limits.admitFetch(provider.ownerOrgId, now)
                                : Uni.createFrom().voidItem()));
    }

    /**
     * Runs the claim's queries once for a provider that cannot exist (an empty name), reading nothing and changing
     * nothing: what their first run sets up (Hibernate's result mappings, the pool's connections and prepared
     * statements) is not paid by a fresh process's first publish ({@link FirstPublishPreparation}). They are SQL, not
     * HQL: Hibernate parses an HQL query on its first run, 55-70 ms for these four in the native executable against
     * 4-18 ms as SQL (bench/README.md, issue 11 fifth pass).
     */
    @WithTransaction
    public Uni<Void> prepareClaim() {
        return providers
                .findLiveForUpdate("", "")
                .flatMap(none -> runtimes.highestPinnable())
                .flatMap(runtime -> versions.findSameVersion("", "", "", ""))
                .flatMap(none -> tombstones.find("", "", ""))
                .replaceWithVoid();
    }

    /** Applies what {@link ClaimRules} decide about the row that holds the version, if one does. */
    private Uni<Claim> apply(
            PublishCommand command,
            PublishRoute route,
            ProviderEntity provider,
            RuntimeVersionEntity runtime,
            ProviderVersionEntity existing,
            VersionTombstoneEntity tombstone,
            Instant now) {
        String reservedSha256 = ClaimRules.reservedDigest(command, tombstone);
        return switch (rules.decide(command, existing, now, route)) {
            case CREATE -> claimNew(command, provider, runtime, reservedSha256, now);
            case IDENTICAL -> applyMetadata(provider, command, now).replaceWith(new Claim.AlreadyPublished(existing));
            case RETAKE -> Uni.createFrom().item(retake(existing, command, runtime, reservedSha256, now));
        };
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
                ClaimRules.requireFirstPublishMetadata(command);
            }
            ClaimRules.Owner owner = ClaimRules.ownerOfNew(caller, prefix);
            return providers
                    .insertIfAbsent(prefix, command.name(), owner.orgId(), owner.name(), now)
                    .flatMap(inserted -> providers.findLiveForUpdate(prefix, command.name()))
                    .invoke(created -> policy.authorizeOwner(caller, prefix, created.ownerOrgId));
        });
    }

    private Uni<Claim> claimNew(
            PublishCommand command,
            ProviderEntity provider,
            RuntimeVersionEntity runtime,
            String reservedSha256,
            Instant now) {
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
        return versions.persist(row)
                .replaceWith(() ->
                        new Claim.Attempt(row.id, provider.id, row.attemptId, null, reservedSha256, row.leaseUntil));
    }

    private Claim retake(
            ProviderVersionEntity row,
            PublishCommand command,
            RuntimeVersionEntity runtime,
            String reservedSha256,
            Instant now) {
        VersionStatus before = row.statusAt(now);
        beginAttempt(row, command, runtime, now);
        return new Claim.Attempt(row.id, row.providerId, row.attemptId, before, reservedSha256, row.leaseUntil);
    }

    /** (Re)sets a row to building with this request's fields, a new attempt id and a new lease. */
    private void beginAttempt(
            ProviderVersionEntity row, PublishCommand command, RuntimeVersionEntity runtime, Instant now) {
        row.status = VersionStatus.BUILDING;
        row.runtimeVersion = runtime.version;
        // A URL publish retaking a failed upload's row clears its storage columns, and an upload retaking a failed
        // URL publish clears its URL: a row is either hosted or registered by URL (V4's wheel_source check).
        row.wheelUrl = command.hosted() ? null : command.wheelUrl().value();
        row.storageBackend = command.hosted() ? storage.column() : null;
        row.wheelFilename = command.hosted() ? command.fileName().toString() : null;
        row.storageKey = null;
        row.wheelSize = null;
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
        row.leaseUntil = now.plus(lease(command));
        row.errorMessage = null;
        row.publishedAt = null;
        row.updatedAt = now;
    }

    /** An identical re-publish: its catalog metadata and the recomputed latest version. */
    private Uni<Void> applyMetadata(ProviderEntity provider, PublishCommand command, Instant now) {
        applyCatalogMetadata(provider, command);
        return latest.refresh(provider, now);
    }

    // ---------------------------------------------------------------- finish: the wheel verified

    @WithTransaction
    public Uni<ProviderVersionEntity> finish(
            Claim.Attempt attempt, PublishCommand command, WheelInspection wheel, Caller caller) {
        return publish(attempt, command, wheel, caller, null, "sha256 " + wheel.sha256Hex());
    }

    /** An upload published: its row, and the stored blob it references ({@code redundant}: drop the staged one). */
    public record HostedFinish(ProviderVersionEntity row, StoredBlob blob) {}

    /**
     * Publishes an uploaded wheel, in one transaction: the staged blob is promoted to the stored blob of its digest
     * (the one already stored when identical bytes were uploaded before) and the row references it. Nothing refers
     * to the blob before this commits.
     */
    @WithTransaction
    public Uni<HostedFinish> finishHosted(
            Claim.Attempt attempt,
            PublishCommand command,
            WheelInspection wheel,
            StorageKind backend,
            String stagedKey,
            Caller caller) {
        // Promoted once, after the provider row is locked (the lock order of every publish).
        Uni<StoredBlob> promotion = blobs.promote(backend, stagedKey, wheel.sha256Hex(), wheel.size())
                .memoize()
                .indefinitely();
        return publish(
                        attempt,
                        command,
                        wheel,
                        caller,
                        promotion,
                        "sha256 " + wheel.sha256Hex() + ", uploaded (" + wheel.size() + " bytes)")
                .flatMap(row -> promotion.map(blob -> new HostedFinish(row, blob)));
    }

    /**
     * The verified wheel published, in the caller's transaction; {@code promotion}: an upload's blob made the stored
     * one (null for a URL-registered wheel).
     */
    private Uni<ProviderVersionEntity> publish(
            Claim.Attempt attempt,
            PublishCommand command,
            WheelInspection wheel,
            Caller caller,
            Uni<StoredBlob> promotion,
            String auditDetail) {
        Instant now = Timestamps.now();
        // The provider row first (the order of the claim): concurrent finalizes of one provider then run one after
        // the other, and each recomputes latest_version with the versions the previous one published.
        return providers
                .findById(attempt.providerId(), LockModeType.PESSIMISTIC_WRITE)
                .flatMap(provider -> (promotion == null ? Uni.createFrom().<StoredBlob>nullItem() : promotion)
                        .flatMap(blob -> versions.markPublished(
                                attempt.versionId(),
                                attempt.attemptId(),
                                wheel.sha256Hex(),
                                wheel.packageName(),
                                blob == null ? null : new StoredWheel(blob.key(), blob.size()),
                                now))
                        .map(row -> {
                            if (row == null) {
                                throw lostLease(command);
                            }
                            applyCatalogMetadata(provider, command);
                            latest.afterPublish(provider, command.version(), now);
                            return row;
                        }))
                .call(row -> wheelFiles.recordAtPublish(row.id, command.fileName(), wheel.coreMetadata()))
                .call(row -> audit.record(
                        command.canonical(),
                        command.version().text(),
                        "publish",
                        caller,
                        attempt.statusBefore(),
                        VersionStatus.PUBLISHED,
                        auditDetail,
                        now));
    }

    private static ProblemException lostLease(PublishCommand command) {
        return new ProblemException(
                ProblemType.PUBLISH_IN_PROGRESS,
                command.canonical() + " "
                        + command.version().text()
                        + ": this publish attempt lost its lease to a "
                        + "newer one and was not applied",
                null,
                Map.of("Retry-After", "1"));
    }

    /** The request's catalog metadata onto the provider, on a publish answered 201 or 200. */
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

    // ---------------------------------------------------------------- fail: the wheel refused

    @WithTransaction
    public Uni<Integer> fail(Claim.Attempt attempt, PublishCommand command, Caller caller, String message) {
        Instant now = Timestamps.now();
        return versions.markFailed(attempt.versionId(), attempt.attemptId(), message, now)
                .call(updated -> updated == 0
                        ? Uni.createFrom().voidItem()
                        : audit.record(
                                command.canonical(),
                                command.version().text(),
                                "publish-failed",
                                caller,
                                attempt.statusBefore(),
                                VersionStatus.FAILED,
                                message,
                                now));
    }

    /** As {@link #fail}, on a failure path: a failure to record it is logged, not answered (the lease lapses instead). */
    public Uni<Void> failQuietly(Claim.Attempt attempt, PublishCommand command, Caller caller, String message) {
        return fail(attempt, command, caller, message)
                .onFailure()
                .invoke(f -> LOG.warnf(
                        "could not record the failure of %s %s (the lease will): %s",
                        command.canonical(), command.version().text(), f.toString()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }
}
