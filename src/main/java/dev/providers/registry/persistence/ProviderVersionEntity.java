package dev.providers.registry.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * One version of a provider and its publish lifecycle. JSON documents (schemas, entrypoint, metadata) are kept
 * as text; they are only ever read and written whole.
 */
@Entity
@Table(name = "provider_versions")
public class ProviderVersionEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "provider_id", nullable = false)
    public Long providerId;

    @Column(nullable = false, columnDefinition = "text")
    public String prefix;

    @Column(nullable = false, columnDefinition = "text")
    public String name;

    @Column(nullable = false, columnDefinition = "text")
    public String version;

    @Column(nullable = false, columnDefinition = "text")
    public String pep440;

    @Column(name = "precedence_key", nullable = false, columnDefinition = "text")
    public String precedenceKey;

    @Column(name = "pre_release", nullable = false)
    public boolean preRelease;

    @Column(nullable = false, columnDefinition = "text")
    public VersionStatus status;

    @Column(name = "runtime_version", nullable = false, columnDefinition = "text")
    public String runtimeVersion;

    /** The wheel's URL as registered; null on a hosted version (answered as its download URL). */
    @Column(name = "wheel_url", columnDefinition = "text")
    public String wheelUrl;

    /** Hosted versions (uploaded): the wheel store holding the wheel ({@code StorageKind#column}), else null. */
    @Column(name = "storage_backend", columnDefinition = "text")
    public String storageBackend;

    /** Hosted versions: the blob's key in that store, set when the version is published. */
    @Column(name = "storage_key", columnDefinition = "text")
    public String storageKey;

    /** Hosted versions: the wheel's file name as uploaded. */
    @Column(name = "wheel_filename", columnDefinition = "text")
    public String wheelFilename;

    /** Hosted versions: the wheel's size in bytes, set when the version is published. */
    @Column(name = "wheel_size")
    public Long wheelSize;

    @Column(name = "requested_sha256", columnDefinition = "text")
    public String requestedSha256;

    @Column(name = "wheel_sha256", columnDefinition = "text")
    public String wheelSha256;

    @Column(name = "package_name", columnDefinition = "text")
    public String packageName;

    @Column(columnDefinition = "text")
    public String entrypoint;

    @Column(columnDefinition = "text")
    public String schemas;

    @Column(name = "config_schema", columnDefinition = "text")
    public String configSchema;

    @Column(name = "outputs_schema", columnDefinition = "text")
    public String outputsSchema;

    @Column(columnDefinition = "text")
    public String changelog;

    @Column(columnDefinition = "text")
    public String metadata;

    @Column(name = "attempt_id", nullable = false)
    public UUID attemptId;

    @Column(name = "lease_until")
    public Instant leaseUntil;

    @Column(name = "error_message", columnDefinition = "text")
    public String errorMessage;

    @Column(name = "published_at")
    public Instant publishedAt;

    @Column(name = "yanked_at")
    public Instant yankedAt;

    @Column(name = "yanked_reason", columnDefinition = "text")
    public String yankedReason;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** A building row whose lease has lapsed is reported as failed even before the sweeper turns it so. */
    public boolean leaseLapsed(Instant now) {
        return status == VersionStatus.BUILDING && leaseUntil != null && leaseUntil.isBefore(now);
    }

    /** The status as answered at {@code now}: failed for a building row whose lease lapsed. */
    public VersionStatus statusAt(Instant now) {
        return leaseLapsed(now) ? VersionStatus.FAILED : status;
    }
}
