package dev.providers.registry.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "runtime_versions")
public class RuntimeVersionEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, unique = true, columnDefinition = "text")
    public String version;

    @Column(name = "precedence_key", nullable = false, columnDefinition = "text")
    public String precedenceKey;

    @Column(name = "pre_release", nullable = false)
    public boolean preRelease;

    @Column(name = "image_url", nullable = false, columnDefinition = "text")
    public String imageUrl;

    @Column(columnDefinition = "text")
    public String changelog;

    @Column(name = "released_at", nullable = false)
    public Instant releasedAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
