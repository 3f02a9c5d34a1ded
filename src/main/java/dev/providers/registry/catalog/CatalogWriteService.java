package dev.providers.registry.catalog;

import dev.providers.registry.auth.Caller;
import dev.providers.registry.db.DatabaseDeadline;
import dev.providers.registry.persistence.JsonText;
import dev.providers.registry.persistence.ProviderEntity;
import dev.providers.registry.persistence.ProviderVersionEntity;
import dev.providers.registry.persistence.ProviderVersionRepository;
import dev.providers.registry.persistence.Timestamps;
import dev.providers.registry.persistence.VersionStatus;
import dev.providers.registry.persistence.VersionTombstoneRepository;
import dev.providers.registry.problem.ProblemException;
import dev.providers.registry.problem.ProblemType;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Owners' writes to the catalog: PATCH, DELETE, yank and unyank; each one transaction with its audit event. */
@ApplicationScoped
@DatabaseDeadline
public class CatalogWriteService {

    private final CatalogAccess access;
    private final ProviderVersionRepository versions;
    private final VersionTombstoneRepository tombstones;
    private final LatestVersions latest;
    private final AuditLog audit;
    private final ProviderMapper providerMapper;
    private final ProviderVersionMapper versionMapper;
    private final JsonText json;

    public CatalogWriteService(
            CatalogAccess access,
            ProviderVersionRepository versions,
            VersionTombstoneRepository tombstones,
            LatestVersions latest,
            AuditLog audit,
            ProviderMapper providerMapper,
            ProviderVersionMapper versionMapper,
            JsonText json) {
        this.access = access;
        this.versions = versions;
        this.tombstones = tombstones;
        this.latest = latest;
        this.audit = audit;
        this.providerMapper = providerMapper;
        this.versionMapper = versionMapper;
        this.json = json;
    }

    @WithTransaction
    public Uni<Provider> update(String prefix, String name, ProviderPatch patch, Caller caller) {
        Instant now = Timestamps.now();
        return access.forOwnerWrite(prefix, name, caller).flatMap(provider -> {
            List<String> changed = new ArrayList<>();
            if (patch.displayName() != null) {
                provider.displayName = patch.displayName();
                changed.add("display_name");
            }
            if (patch.description() != null) {
                provider.description = patch.description();
                changed.add("description");
            }
            if (patch.iconUrl() != null) {
                provider.iconUrl = patch.iconUrl();
                changed.add("icon_url");
            }
            if (patch.readme() != null) {
                provider.readme = patch.readme();
                changed.add("readme");
            }
            if (patch.tags() != null) {
                provider.tags = json.write(patch.tags());
                changed.add("tags");
            }
            if (patch.scope() != null) {
                provider.scope = patch.scope();
                changed.add("scope");
            }
            if (!changed.isEmpty()) {
                provider.updatedAt = now;
            }
            return audit.record(
                            provider.canonical(),
                            null,
                            "update",
                            caller,
                            null,
                            null,
                            "changed: " + (changed.isEmpty() ? "nothing" : String.join(", ", changed)),
                            now)
                    .map(v -> providerMapper.toApi(provider));
        });
    }

    /** The provider leaves the catalog; versions with a digest stay reserved as tombstones. */
    @WithTransaction
    public Uni<Void> delete(String prefix, String name, Caller caller) {
        Instant now = Timestamps.now();
        return access.forOwnerWrite(prefix, name, caller)
                .flatMap(provider -> tombstones.bury(provider.id, now).flatMap(reserved -> {
                    provider.deletedAt = now;
                    provider.updatedAt = now;
                    return audit.record(
                            provider.canonical(),
                            null,
                            "delete",
                            caller,
                            null,
                            null,
                            reserved + " version(s) kept as tombstones",
                            now);
                }));
    }

    @WithTransaction
    public Uni<ProviderVersion> yank(String prefix, String name, String version, String reason, Caller caller) {
        return changeYank(prefix, name, version, caller, true, reason);
    }

    @WithTransaction
    public Uni<ProviderVersion> unyank(String prefix, String name, String version, Caller caller) {
        return changeYank(prefix, name, version, caller, false, null);
    }

    private Uni<ProviderVersion> changeYank(
            String prefix, String name, String version, Caller caller, boolean yank, String reason) {
        Instant now = Timestamps.now();
        return access.forOwnerWrite(prefix, name, caller)
                .flatMap(provider -> (CatalogAccess.isPossibleVersion(version)
                                ? versions.findVersion(provider.prefix, provider.name, version)
                                : Uni.createFrom().<ProviderVersionEntity>nullItem())
                        .flatMap(row -> {
                            VersionStatus before = requireYankable(provider, row, version, now);
                            if (yank) {
                                if (row.status != VersionStatus.YANKED) {
                                    row.yankedAt = now;
                                }
                                row.status = VersionStatus.YANKED;
                                row.yankedReason = reason;
                            } else {
                                row.status = VersionStatus.PUBLISHED;
                                row.yankedAt = null;
                                row.yankedReason = null;
                            }
                            row.updatedAt = now;
                            return versions.flush()
                                    .flatMap(v -> latest.refresh(provider, now))
                                    .flatMap(v -> audit.record(
                                            provider.canonical(),
                                            row.version,
                                            yank ? "yank" : "unyank",
                                            caller,
                                            before,
                                            row.status,
                                            yank ? reason : null,
                                            now))
                                    .map(v -> versionMapper.toApi(row));
                        }));
    }

    private static VersionStatus requireYankable(
            ProviderEntity provider, ProviderVersionEntity row, String version, Instant now) {
        if (row == null) {
            throw new ProblemException(
                    ProblemType.NOT_FOUND,
                    "provider " + provider.canonical() + " has no version "
                            + (CatalogAccess.isPossibleVersion(version) ? version : "by that name"));
        }
        VersionStatus status = row.statusAt(now);
        if (!status.isPublic()) {
            throw new ProblemException(
                    ProblemType.VERSION_NOT_YANKABLE,
                    provider.canonical() + " " + row.version + " is " + status.wire()
                            + "; only published or yanked versions can be yanked or unyanked");
        }
        return status;
    }
}
