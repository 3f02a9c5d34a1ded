package dev.providers.registry.catalog;

import dev.providers.registry.db.DatabaseDeadline;
import dev.providers.registry.auth.Caller;
import dev.providers.registry.persistence.AuditEventEntity;
import dev.providers.registry.persistence.AuditEventRepository;
import dev.providers.registry.persistence.ProviderQuery;
import dev.providers.registry.persistence.ProviderRepository;
import dev.providers.registry.persistence.ProviderVersionRepository;
import dev.providers.registry.persistence.VersionStatus;
import dev.providers.registry.problem.ProblemException;
import dev.providers.registry.problem.ProblemType;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** The read side of the catalog, every answer filtered by {@link CatalogAccess}. */
@ApplicationScoped
@DatabaseDeadline
public class CatalogReadService {

    private final CatalogAccess access;
    private final ProviderRepository providers;
    private final ProviderVersionRepository versions;
    private final AuditEventRepository events;
    private final ProviderVersionMapper versionMapper;
    private final ProviderMapper providerMapper;

    public CatalogReadService(CatalogAccess access, ProviderRepository providers, ProviderVersionRepository versions,
            AuditEventRepository events, ProviderVersionMapper versionMapper, ProviderMapper providerMapper) {
        this.access = access;
        this.providers = providers;
        this.versions = versions;
        this.events = events;
        this.versionMapper = versionMapper;
        this.providerMapper = providerMapper;
    }

    @WithSession
    public Uni<Owned<Provider>> provider(String prefix, String name, Caller caller) {
        return access.read(prefix, name, caller)
                .map(visible -> new Owned<>(providerMapper.toApi(visible.provider()), visible.owner()));
    }

    @WithSession
    public Uni<Provider.Page> search(ProviderQuery query, Caller caller) {
        return providers.search(query, caller.orgId(), caller.groups())
                .map(page -> new Provider.Page(page.items().stream().map(providerMapper::toApi).toList(),
                        page.total(), query.limit(), query.offset()));
    }

    @WithSession
    public Uni<Owned<ProviderVersion>> version(String prefix, String name, String version, Caller caller) {
        return access.read(prefix, name, caller).flatMap(visible ->
                (CatalogAccess.isPossibleVersion(version)
                        ? versions.findVersion(visible.provider().prefix, visible.provider().name, version)
                        : Uni.createFrom().<dev.providers.registry.persistence.ProviderVersionEntity>nullItem()).map(row -> {
                    ProviderVersion api = row == null ? null : versionMapper.toApi(row);
                    if (api == null || (!visible.owner() && !CatalogAccess.PUBLIC_STATUSES.contains(api.status()))) {
                        throw new ProblemException(ProblemType.NOT_FOUND, "provider " + visible.provider().canonical()
                                + " has no version " + (CatalogAccess.isPossibleVersion(version) ? version : "by that name"));
                    }
                    return new Owned<>(api, visible.owner());
                }));
    }

    /** Highest SemVer first; others see published and yanked versions, the owner sees all. */
    @WithSession
    public Uni<Owned<List<ProviderVersion>>> versions(String prefix, String name, VersionStatus status, Caller caller) {
        return access.read(prefix, name, caller).flatMap(visible ->
                versions.listHighestFirst(visible.provider().id).map(rows -> {
                    List<ProviderVersion> list = rows.stream().map(versionMapper::toApi)
                            .filter(v -> visible.owner() || CatalogAccess.PUBLIC_STATUSES.contains(v.status()))
                            .filter(v -> status == null || v.status() == status)
                            .toList();
                    return new Owned<>(list, visible.owner());
                }));
    }

    @WithSession
    public Uni<List<AuditEventEntity>> events(String prefix, String name, Long before, int limit, Caller caller) {
        return access.read(prefix, name, caller).flatMap(visible -> {
            if (!visible.owner()) {
                access.forbidNonOwner(caller, visible.provider());
            }
            return events.page(visible.provider().canonical(), before, limit);
        });
    }


    /** An answer and whether the caller owns what it shows (owner views are private to caches). */
    public record Owned<T>(T value, boolean owner) {
    }
}
