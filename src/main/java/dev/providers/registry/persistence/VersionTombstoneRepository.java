package dev.providers.registry.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

@ApplicationScoped
public class VersionTombstoneRepository implements PanacheRepository<VersionTombstoneEntity> {

    private static final String BURY = """
            INSERT INTO version_tombstones (prefix, name, version, pep440, wheel_sha256, deleted_at, provider_id,
                                            wheel_filename)
            SELECT prefix, name, version, pep440, wheel_sha256, ?2, provider_id,
                   CASE WHEN storage_key IS NOT NULL THEN wheel_filename END
              FROM provider_versions
            WHERE provider_id = ?1 AND wheel_sha256 IS NOT NULL AND status IN %s
            ON CONFLICT (prefix, name, pep440) DO UPDATE SET wheel_sha256 = EXCLUDED.wheel_sha256,
                version = EXCLUDED.version, deleted_at = EXCLUDED.deleted_at, provider_id = EXCLUDED.provider_id,
                wheel_filename = EXCLUDED.wheel_filename""".formatted(VersionStatus.PUBLIC_SQL);

    /** SQL: a publish's claim reads it ({@link ProviderRepository#findLiveForUpdate}). */
    public Uni<VersionTombstoneEntity> find(String prefix, String name, String pep440) {
        return getSession()
                .chain(session -> session.createNativeQuery(
                                "SELECT * FROM version_tombstones WHERE prefix = ?1 AND name = ?2 AND pep440 = ?3",
                                VersionTombstoneEntity.class)
                        .setParameter(1, prefix)
                        .setParameter(2, name)
                        .setParameter(3, pep440)
                        .getSingleResultOrNull());
    }

    /**
     * Moves the versions of a provider that is being deleted into tombstones: those with a digest are reserved,
     * the rest (building, failed) are dropped. Returns the number of tombstones written.
     */
    public Uni<Integer> bury(Long providerId, Instant now) {
        return getSession()
                .chain(session -> session.createNativeQuery(BURY)
                        .setParameter(1, providerId)
                        .setParameter(2, now)
                        .executeUpdate()
                        .call(() -> session.createNativeQuery("DELETE FROM provider_versions WHERE provider_id = ?1")
                                .setParameter(1, providerId)
                                .executeUpdate()));
    }
}
