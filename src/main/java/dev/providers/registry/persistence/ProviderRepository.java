package dev.providers.registry.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

@ApplicationScoped
public class ProviderRepository implements PanacheRepository<ProviderEntity> {

    public Uni<ProviderEntity> findLive(String prefix, String name) {
        return find("prefix = ?1 and name = ?2 and deletedAt is null", prefix, name)
                .firstResult();
    }

    /**
     * Locks the live provider row: claims of one provider are serialized on it. SQL, as the other queries of a
     * publish's claim: Hibernate would parse HQL on its first use, which a fresh instance's first publish waits for.
     * {@code FOR NO KEY UPDATE} is what Hibernate's PostgreSQL dialect writes for a pessimistic write lock; the columns
     * are the entity's (not {@code *}: Hibernate Reactive fails on a column the entity does not map, the generated
     * {@code search_text}).
     */
    public Uni<ProviderEntity> findLiveForUpdate(String prefix, String name) {
        return getSession()
                .chain(session -> session.createNativeQuery("""
                                SELECT id, prefix, name, owner_org_id, owner_name, display_name, description, icon_url,
                                       readme, tags, scope, latest_version, deleted_at, created_at, updated_at
                                FROM providers WHERE prefix = ?1 AND name = ?2 AND deleted_at IS NULL
                                FOR NO KEY UPDATE""", ProviderEntity.class)
                        .setParameter(1, prefix)
                        .setParameter(2, name)
                        .getSingleResultOrNull());
    }

    /** Creates the provider unless a concurrent request just did; either way the caller then locks the row. */
    public Uni<Integer> insertIfAbsent(String prefix, String name, String ownerOrgId, String ownerName, Instant now) {
        return getSession()
                .chain(session -> session.createNativeQuery("""
                        INSERT INTO providers (prefix, name, owner_org_id, owner_name, display_name, description, tags,
                                               scope, created_at, updated_at)
                        VALUES (?1, ?2, ?3, ?4, ?2, '', '[]', 'public', ?5, ?5)
                        ON CONFLICT (prefix, name) WHERE deleted_at IS NULL DO NOTHING""")
                        .setParameter(1, prefix)
                        .setParameter(2, name)
                        .setParameter(3, ownerOrgId)
                        .setParameter(4, ownerName)
                        .setParameter(5, now)
                        .executeUpdate());
    }
}
