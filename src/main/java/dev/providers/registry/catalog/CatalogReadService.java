package dev.providers.registry.catalog;

import dev.providers.registry.auth.Caller;
import dev.providers.registry.db.DatabaseDeadline;
import dev.providers.registry.persistence.AuditEventEntity;
import dev.providers.registry.persistence.AuditEventRepository;
import dev.providers.registry.persistence.CatalogQueries;
import dev.providers.registry.persistence.ProviderQuery;
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
    private final CatalogQueries queries;
    private final ProviderVersionRepository versions;
    private final AuditEventRepository events;
    private final ProviderVersionMapper versionMapper;
    private final ProviderMapper providerMapper;

    public CatalogReadService(
            CatalogAccess access,
            CatalogQueries queries,
            ProviderVersionRepository versions,
            AuditEventRepository events,
            ProviderVersionMapper versionMapper,
            ProviderMapper providerMapper) {
        this.access = access;
        this.queries = queries;
        this.versions = versions;
        this.events = events;
        this.versionMapper = versionMapper;
        this.providerMapper = providerMapper;
    }

    public Uni<Owned<Provider>> provider(String prefix, String name, Caller caller) {
        return access.named(
                prefix,
                name,
                (p, n) -> queries.lookup(p, n, null).map(found -> {
                    CatalogAccess.Visible visible = access.visible(found, p, n, caller);
                    return new Owned<>(providerMapper.toApi(visible.provider()), visible.owner());
                }));
    }

    public Uni<Provider.Page> search(ProviderQuery query, Caller caller) {
        return queries.search(query, caller)
                .map(page -> new Provider.Page(
                        page.items().stream().map(providerMapper::toApi).toList(),
                        page.total(),
                        query.limit(),
                        query.offset()));
    }

    /** One statement: the provider, the version and the provider's visibility (a version path no version can have reads none). */
    public Uni<Owned<ProviderVersion>> version(String prefix, String name, String version, Caller caller) {
        boolean possible = CatalogAccess.isPossibleVersion(version);
        return access.named(
                prefix,
                name,
                (p, n) -> queries.lookup(p, n, possible ? version : null).map(found -> {
                    CatalogAccess.Visible visible = access.visible(found, p, n, caller);
                    ProviderVersion api = found.version() == null ? null : versionMapper.toApi(found.version());
                    if (api == null || (!visible.owner() && !api.status().isPublic())) {
                        throw new ProblemException(
                                ProblemType.NOT_FOUND,
                                "provider " + visible.provider().canonical() + " has no version "
                                        + (possible ? version : "by that name"));
                    }
                    return new Owned<>(api, visible.owner());
                }));
    }

    /** Highest SemVer first; others see published and yanked versions, the owner sees all. */
    @WithSession
    public Uni<Owned<List<ProviderVersion>>> versions(String prefix, String name, VersionStatus status, Caller caller) {
        return access.read(prefix, name, caller)
                .flatMap(visible -> versions.listHighestFirst(visible.provider().id)
                        .map(rows -> {
                            List<ProviderVersion> list = rows.stream()
                                    .map(versionMapper::toApi)
                                    .filter(v -> visible.owner() || v.status().isPublic())
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
    public record Owned<T>(T value, boolean owner) {}
}
