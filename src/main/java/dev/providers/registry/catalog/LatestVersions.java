package dev.providers.registry.catalog;

import dev.providers.registry.identity.SemVer;
import dev.providers.registry.persistence.ProviderEntity;
import dev.providers.registry.persistence.ProviderVersionRepository;
import dev.providers.registry.persistence.VersionOrder;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * {@code latest_version}: the highest published non-pre-release, else the highest published version, else null.
 * Recomputed inside every transaction that publishes, yanks or unyanks a version.
 */
@ApplicationScoped
public class LatestVersions {

    private final ProviderVersionRepository versions;

    public LatestVersions(ProviderVersionRepository versions) {
        this.versions = versions;
    }

    /**
     * After {@code published} became published on the locked {@code provider}: it is the new latest when it beats
     * the current one by the rule above, so no query is needed (yank and unyank can lower it: they {@link #refresh}).
     */
    public void afterPublish(ProviderEntity provider, SemVer published, Instant now) {
        SemVer current = provider.latestVersion == null ? null : SemVer.parse(provider.latestVersion);
        if (current == null || VersionOrder.LATEST_FIRST.comparator().compare(published, current) < 0) {
            provider.latestVersion = published.text();
        }
        provider.updatedAt = now;
    }

    public Uni<Void> refresh(ProviderEntity provider, Instant now) {
        return versions.latestPublished(provider.id)
                .invoke(latest -> {
                    provider.latestVersion = latest;
                    provider.updatedAt = now;
                })
                .replaceWithVoid();
    }
}
