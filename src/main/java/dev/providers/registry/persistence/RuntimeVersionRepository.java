package dev.providers.registry.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class RuntimeVersionRepository implements PanacheRepository<RuntimeVersionEntity> {

    /** Pre-releases are never pinned. */
    public Uni<RuntimeVersionEntity> highestPinnable() {
        return find("preRelease = false order by " + VersionOrder.HIGHEST_FIRST.jpql())
                .firstResult();
    }

    public Uni<List<RuntimeVersionEntity>> listHighestFirst() {
        return list("order by " + VersionOrder.HIGHEST_FIRST.jpql());
    }

    public Uni<RuntimeVersionEntity> findByVersion(String version) {
        return find("version", version).firstResult();
    }
}
