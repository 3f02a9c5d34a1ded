package dev.providers.registry.catalog;

import dev.providers.registry.persistence.ProviderEntity;
import dev.providers.registry.persistence.ProviderVersionRepository;
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

    public Uni<Void> refresh(ProviderEntity provider, Instant now) {
        return versions.latestPublished(provider.id).invoke(latest -> {
            provider.latestVersion = latest;
            provider.updatedAt = now;
        }).replaceWithVoid();
    }
}
