package dev.providers.registry.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class ProviderVersionRepository implements PanacheRepository<ProviderVersionEntity> {

    public Uni<ProviderVersionEntity> findVersion(String prefix, String name, String version) {
        return find("prefix = ?1 and name = ?2 and version = ?3", prefix, name, version)
                .firstResult();
    }

    /**
     * The row that holds this version or its PEP 440 twin ({@code 1.0.0-RC.1} vs {@code 1.0.0-rc.1}). SQL: a
     * publish's claim reads it ({@link ProviderRepository#findLiveForUpdate}).
     */
    public Uni<ProviderVersionEntity> findSameVersion(String prefix, String name, String version, String pep440) {
        return getSession()
                .chain(session -> session.createNativeQuery("""
                                SELECT * FROM provider_versions
                                WHERE prefix = ?1 AND name = ?2 AND (version = ?3 OR pep440 = ?4)""", ProviderVersionEntity.class)
                        .setParameter(1, prefix)
                        .setParameter(2, name)
                        .setParameter(3, version)
                        .setParameter(4, pep440)
                        .getResultList())
                .map(rows -> rows.stream()
                        .filter(r -> r.version.equals(version))
                        .findFirst()
                        .orElse(rows.isEmpty() ? null : rows.get(0)));
    }

    /** Where an uploaded wheel is stored; null for a URL-registered one. */
    public record StoredWheel(String storageKey, long size) {}

    /**
     * Publishes the row while it still belongs to {@code attemptId} and is building (a superseded attempt changes
     * nothing); the row as published, or null when the attempt lost it (one statement: {@code UPDATE ... RETURNING}).
     * {@code stored} is the blob of an uploaded wheel (null for a URL-registered one); the row must have been
     * claimed for the same kind of publish.
     */
    public Uni<ProviderVersionEntity> markPublished(
            Long id, UUID attemptId, String sha256, String packageName, StoredWheel stored, Instant now) {
        return getSession()
                .chain(session -> session.createNativeQuery("""
                        UPDATE provider_versions SET status = 'published', wheel_sha256 = ?1, package_name = ?2,
                               published_at = ?3, updated_at = ?3, lease_until = NULL, error_message = NULL,
                               storage_key = ?6, wheel_size = ?7
                        WHERE id = ?4 AND attempt_id = ?5 AND status = 'building'
                          AND (storage_backend IS NOT NULL) = ?8
                        RETURNING *""", ProviderVersionEntity.class)
                        .setParameter(1, sha256)
                        .setParameter(2, packageName)
                        .setParameter(3, now)
                        .setParameter(4, id)
                        .setParameter(5, attemptId)
                        .setParameter(6, stored == null ? null : stored.storageKey())
                        .setParameter(7, stored == null ? null : stored.size())
                        .setParameter(8, stored != null)
                        .getSingleResultOrNull());
    }

    public Uni<Integer> markFailed(Long id, UUID attemptId, String message, Instant now) {
        return update(
                """
                        status = :failed, errorMessage = :message, updatedAt = :now, leaseUntil = null
                        where id = :id and attemptId = :attempt and status = :building""",
                Parameters.with("failed", VersionStatus.FAILED)
                        .and("message", message)
                        .and("now", now)
                        .and("id", id)
                        .and("attempt", attemptId)
                        .and("building", VersionStatus.BUILDING));
    }

    /** Turns every building row whose lease lapsed into failed, with one audit event each (actor {@code system}). */
    public Uni<Integer> sweepLapsed(String message, Instant now) {
        return getSession()
                .chain(session -> session.createNativeQuery("""
                        WITH swept AS (
                            UPDATE provider_versions
                               SET status = 'failed', error_message = ?1, updated_at = ?2, lease_until = NULL
                             WHERE status = 'building' AND lease_until < ?2
                         RETURNING prefix, name, version)
                        INSERT INTO audit_events (canonical, version, action, actor_sub, at, status_before, status_after, detail)
                        SELECT prefix || '/' || name, version, 'sweep', 'system', ?2, 'building', 'failed', ?1 FROM swept""")
                        .setParameter(1, message)
                        .setParameter(2, now)
                        .executeUpdate());
    }

    /** Adds one publish to the organization's rate window and answers the window's count. */
    public Uni<Integer> countInWindow(String orgKey, Instant windowStart) {
        return getSession()
                .chain(session -> session.createNativeQuery("""
                        INSERT INTO publish_rate_windows (org_key, window_start, publishes) VALUES (?1, ?2, 1)
                        ON CONFLICT (org_key, window_start) DO UPDATE SET publishes = publish_rate_windows.publishes + 1
                        RETURNING publishes""", Integer.class)
                        .setParameter(1, orgKey)
                        .setParameter(2, windowStart)
                        .getSingleResult());
    }

    /**
     * The organization's fetches in flight, cluster-wide: its building rows with a running lease. Serialized per
     * organization by a transaction-scoped advisory lock, so that two claims cannot both see room for one more.
     */
    public Uni<Long> activeFetches(String ownerOrgId, Instant now) {
        return getSession()
                .chain(session -> session.createNativeQuery(
                                "SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext('fetch:' || ?1))) AS locked",
                                Integer.class)
                        .setParameter(1, ownerOrgId)
                        .getSingleResult()
                        .chain(() -> session.createNativeQuery("""
                                SELECT count(*) FROM provider_versions v JOIN providers p ON p.id = v.provider_id
                                WHERE p.owner_org_id = ?1 AND v.status = 'building' AND v.lease_until > ?2""", Long.class)
                                .setParameter(1, ownerOrgId)
                                .setParameter(2, now)
                                .getSingleResult()));
    }

    /** Drops rate windows that ended long ago. */
    public Uni<Integer> dropRateWindowsBefore(Instant before) {
        return getSession()
                .chain(session -> session.createNativeQuery("DELETE FROM publish_rate_windows WHERE window_start < ?1")
                        .setParameter(1, before)
                        .executeUpdate());
    }

    /** Highest SemVer precedence first (build metadata, which has no precedence, breaks ties). */
    public Uni<List<ProviderVersionEntity>> listHighestFirst(Long providerId) {
        return list("providerId = ?1 order by " + VersionOrder.HIGHEST_FIRST.jpql(), providerId);
    }

    /** API.md: the highest published non-pre-release, else the highest published version, else null. */
    public Uni<String> latestPublished(Long providerId) {
        return find(
                        "providerId = ?1 and status = ?2 order by " + VersionOrder.LATEST_FIRST.jpql(),
                        providerId,
                        VersionStatus.PUBLISHED)
                .firstResult()
                .map(v -> v == null ? null : v.version);
    }
}
