package dev.providers.registry.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A version of a deleted provider: its number stays reserved for the identical wheel. */
@Entity
@Table(name = "version_tombstones")
public class VersionTombstoneEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, columnDefinition = "text")
    public String prefix;

    @Column(nullable = false, columnDefinition = "text")
    public String name;

    @Column(nullable = false, columnDefinition = "text")
    public String version;

    @Column(nullable = false, columnDefinition = "text")
    public String pep440;

    @Column(name = "wheel_sha256", nullable = false, columnDefinition = "text")
    public String wheelSha256;

    /** The deleted provider's row (null on tombstones older than V5). */
    @Column(name = "provider_id")
    public Long providerId;

    /** A hosted version's file name: its file stays downloadable (null for a version registered by URL). */
    @Column(name = "wheel_filename", columnDefinition = "text")
    public String wheelFilename;

    @Column(name = "deleted_at", nullable = false)
    public Instant deletedAt;
}
