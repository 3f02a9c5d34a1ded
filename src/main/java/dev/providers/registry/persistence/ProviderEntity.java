package dev.providers.registry.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A catalog entry {@code prefix/name}; {@code ownerOrgId} is the organization that created it. */
@Entity
@Table(name = "providers")
public class ProviderEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, columnDefinition = "text")
    public String prefix;

    @Column(nullable = false, columnDefinition = "text")
    public String name;

    @Column(name = "owner_org_id", nullable = false, columnDefinition = "text")
    public String ownerOrgId;

    @Column(name = "owner_name", nullable = false, columnDefinition = "text")
    public String ownerName;

    @Column(name = "display_name", nullable = false, columnDefinition = "text")
    public String displayName;

    @Column(nullable = false, columnDefinition = "text")
    public String description;

    @Column(name = "icon_url", columnDefinition = "text")
    public String iconUrl;

    @Column(columnDefinition = "text")
    public String readme;

    /** JSON array of strings. */
    @Column(nullable = false, columnDefinition = "text")
    public String tags;

    @Column(nullable = false, columnDefinition = "text")
    public String scope;

    @Column(name = "latest_version", columnDefinition = "text")
    public String latestVersion;

    @Column(name = "deleted_at")
    public Instant deletedAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public String canonical() {
        return prefix + "/" + name;
    }
}
