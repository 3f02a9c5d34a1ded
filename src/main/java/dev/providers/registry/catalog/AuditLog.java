package dev.providers.registry.catalog;

import dev.providers.registry.auth.Caller;
import dev.providers.registry.persistence.AuditEventEntity;
import dev.providers.registry.persistence.AuditEventRepository;
import dev.providers.registry.persistence.VersionStatus;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/** Appends audit events inside the caller's transaction, so an event exists exactly when its write does. */
@ApplicationScoped
public class AuditLog {

    public static final String SYSTEM = "system";

    private final AuditEventRepository events;

    public AuditLog(AuditEventRepository events) {
        this.events = events;
    }

    public Uni<Void> record(
            String canonical,
            String version,
            String action,
            Caller caller,
            VersionStatus before,
            VersionStatus after,
            String detail,
            Instant at) {
        AuditEventEntity event = new AuditEventEntity();
        event.canonical = canonical;
        event.version = version;
        event.action = action;
        event.actorSub = caller == null ? SYSTEM : caller.subject() != null ? caller.subject() : "unknown";
        event.actorOrgId = caller == null ? null : caller.orgId();
        event.at = at;
        event.statusBefore = before == null ? null : before.wire();
        event.statusAfter = after == null ? null : after.wire();
        event.detail = detail;
        return events.persist(event).replaceWithVoid();
    }
}
