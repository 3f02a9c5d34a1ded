package dev.providers.registry.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class RuntimeVersionRepository implements PanacheRepository<RuntimeVersionEntity> {

    /** Pre-releases are never pinned. SQL: a publish's claim reads it ({@link ProviderRepository#findLiveForUpdate}). */
    public Uni<RuntimeVersionEntity> highestPinnable() {
        return getSession()
                .chain(session -> session.createNativeQuery(
                                "SELECT * FROM runtime_versions WHERE NOT pre_release ORDER BY "
                                        + VersionOrder.HIGHEST_FIRST.sql() + " LIMIT 1",
                                RuntimeVersionEntity.class)
                        .getSingleResultOrNull());
    }

    /**
     * Whether no runtime version is registered. SQL: every start with a bootstrap version asks it before readiness,
     * and HQL would be parsed first (the first HQL query of a native process: several ms).
     */
    public Uni<Boolean> none() {
        return getSession()
                .chain(session -> session.createNativeQuery(
                                "SELECT NOT EXISTS (SELECT 1 FROM runtime_versions)", Boolean.class)
                        .getSingleResult());
    }

    public Uni<List<RuntimeVersionEntity>> listHighestFirst() {
        return list("order by " + VersionOrder.HIGHEST_FIRST.jpql());
    }

    public Uni<RuntimeVersionEntity> findByVersion(String version) {
        return find("version", version).firstResult();
    }
}
