package dev.providers.registry.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.panache.common.Page;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class AuditEventRepository implements PanacheRepository<AuditEventEntity> {

    /** Newest first; keyset pagination on the event id. */
    public Uni<List<AuditEventEntity>> page(String canonical, Long before, int limit) {
        return (before == null
                        ? find("canonical = ?1 order by id desc", canonical)
                        : find("canonical = ?1 and id < ?2 order by id desc", canonical, before))
                .page(Page.ofSize(limit))
                .list();
    }
}
