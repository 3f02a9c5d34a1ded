package dev.providers.registry.catalog;

import dev.providers.registry.auth.Caller;
import dev.providers.registry.auth.NamespacePolicy;
import dev.providers.registry.persistence.ProviderEntity;
import dev.providers.registry.persistence.ProviderRepository;
import dev.providers.registry.persistence.ProviderVersionRepository;
import dev.providers.registry.persistence.VersionStatus;
import dev.providers.registry.problem.ProblemException;
import dev.providers.registry.problem.ProblemType;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Locale;

/**
 * Reads with the visibility rules of API.md: tenant-scoped providers and providers without a published or yanked
 * version exist only for their owner; building and failed versions too. Invisible is 404, never 403.
 */
@ApplicationScoped
public class CatalogReadService {

    private final ProviderRepository providers;
    private final ProviderVersionRepository versions;
    private final ProviderVersionMapper mapper;
    private final NamespacePolicy policy;

    public CatalogReadService(ProviderRepository providers, ProviderVersionRepository versions,
            ProviderVersionMapper mapper, NamespacePolicy policy) {
        this.providers = providers;
        this.versions = versions;
        this.mapper = mapper;
        this.policy = policy;
    }

    @WithSession
    public Uni<ProviderVersion> version(String prefix, String name, String version, Caller caller) {
        String canonical = prefix.toLowerCase(Locale.ROOT) + "/" + name.toLowerCase(Locale.ROOT);
        return visibleProvider(prefix.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT), caller)
                .flatMap(visible -> versions.findVersion(visible.provider().prefix, visible.provider().name, version)
                        .map(row -> {
                            ProviderVersion api = row == null ? null : mapper.toApi(row);
                            if (api == null || (!visible.owner() && !isPublic(api.status()))) {
                                throw new ProblemException(ProblemType.NOT_FOUND,
                                        "provider " + canonical + " has no version " + version);
                            }
                            return api;
                        }));
    }

    private Uni<VisibleProvider> visibleProvider(String prefix, String name, Caller caller) {
        return providers.findLive(prefix, name).flatMap(provider -> {
            if (provider == null) {
                return Uni.createFrom().failure(providerMissing(prefix, name));
            }
            boolean owner = policy.isOwner(caller, prefix, provider.ownerOrgId);
            if (owner) {
                return Uni.createFrom().item(new VisibleProvider(provider, true));
            }
            if ("tenant".equals(provider.scope)) {
                return Uni.createFrom().failure(providerMissing(prefix, name));
            }
            return versions.count("providerId = ?1 and status in ?2", provider.id,
                            java.util.List.of(VersionStatus.PUBLISHED, VersionStatus.YANKED))
                    .map(count -> {
                        if (count == 0) {
                            throw providerMissing(prefix, name);
                        }
                        return new VisibleProvider(provider, false);
                    });
        });
    }

    private static boolean isPublic(VersionStatus status) {
        return status == VersionStatus.PUBLISHED || status == VersionStatus.YANKED;
    }

    private static ProblemException providerMissing(String prefix, String name) {
        return new ProblemException(ProblemType.NOT_FOUND, "provider " + prefix + "/" + name + " does not exist");
    }

    private record VisibleProvider(ProviderEntity provider, boolean owner) {
    }
}
