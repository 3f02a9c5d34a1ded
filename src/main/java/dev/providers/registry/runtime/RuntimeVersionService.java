package dev.providers.registry.runtime;

import dev.providers.registry.db.DatabaseDeadline;
import dev.providers.registry.identity.SemVer;
import dev.providers.registry.persistence.RuntimeVersionEntity;
import dev.providers.registry.persistence.RuntimeVersionRepository;
import dev.providers.registry.persistence.Timestamps;
import dev.providers.registry.problem.ProblemException;
import dev.providers.registry.problem.ProblemType;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

@ApplicationScoped
@DatabaseDeadline
public class RuntimeVersionService {

    private final RuntimeVersionRepository runtimes;

    public RuntimeVersionService(RuntimeVersionRepository runtimes) {
        this.runtimes = runtimes;
    }

    /** 201 when new ({@code created}), 200 when identical, 409 when the version exists with other content. */
    @WithTransaction
    public Uni<Registered> register(SemVer version, String imageUrl, String changelog) {
        return runtimes.findByVersion(version.text()).flatMap(existing -> {
            if (existing != null) {
                if (existing.imageUrl.equals(imageUrl)
                        && (changelog == null || Objects.equals(changelog, existing.changelog))) {
                    return Uni.createFrom().item(new Registered(false, RuntimeVersion.of(existing)));
                }
                throw new ProblemException(
                        ProblemType.RUNTIME_VERSION_EXISTS,
                        "runtime version " + version.text()
                                + " is already registered with other content; register a new version");
            }
            Instant now = Timestamps.now();
            RuntimeVersionEntity row = new RuntimeVersionEntity();
            row.version = version.text();
            row.precedenceKey = version.precedenceKey();
            row.preRelease = version.isPreRelease();
            row.imageUrl = imageUrl;
            row.changelog = changelog;
            row.releasedAt = now;
            row.createdAt = now;
            row.updatedAt = now;
            return runtimes.persist(row).map(saved -> new Registered(true, RuntimeVersion.of(saved)));
        });
    }

    @WithSession
    public Uni<List<RuntimeVersion>> list() {
        return runtimes.listHighestFirst()
                .map(rows -> rows.stream().map(RuntimeVersion::of).toList());
    }

    /** Registers the bootstrap version when the table is empty (a fresh installation). */
    @WithTransaction
    public Uni<Boolean> bootstrap(SemVer version, String imageUrl) {
        return runtimes.none()
                .flatMap(none -> none
                        ? register(version, imageUrl, "registered at start-up (registry.runtime.bootstrap-version)")
                                .map(Registered::created)
                        : Uni.createFrom().item(false));
    }

    public record Registered(boolean created, RuntimeVersion version) {}
}
