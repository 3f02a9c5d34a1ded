package dev.providers.registry.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One write to the catalog, keyed by canonical name so that it outlives a DELETE. */
@Entity
@Table(name = "audit_events")
public class AuditEventEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, columnDefinition = "text")
    public String canonical;

    @Column(columnDefinition = "text")
    public String version;

    @Column(nullable = false, columnDefinition = "text")
    public String action;

    @Column(name = "actor_sub", nullable = false, columnDefinition = "text")
    public String actorSub;

    @Column(name = "actor_org_id", columnDefinition = "text")
    public String actorOrgId;

    @Column(nullable = false)
    public Instant at;

    @Column(name = "status_before", columnDefinition = "text")
    public String statusBefore;

    @Column(name = "status_after", columnDefinition = "text")
    public String statusAfter;

    @Column(columnDefinition = "text")
    public String detail;
}
