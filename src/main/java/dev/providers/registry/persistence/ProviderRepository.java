package dev.providers.registry.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;

@ApplicationScoped
public class ProviderRepository implements PanacheRepository<ProviderEntity> {

    public Uni<ProviderEntity> findLive(String prefix, String name) {
        return find("prefix = ?1 and name = ?2 and deletedAt is null", prefix, name)
                .firstResult();
    }

    /** Locks the live provider row: claims of one provider are serialized on it. */
    public Uni<ProviderEntity> findLiveForUpdate(String prefix, String name) {
        return find("prefix = ?1 and name = ?2 and deletedAt is null", prefix, name)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResult();
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
