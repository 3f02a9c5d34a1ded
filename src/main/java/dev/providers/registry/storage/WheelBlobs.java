package dev.providers.registry.storage;

import dev.providers.registry.config.RegistryConfig;
import dev.providers.registry.db.DatabaseDeadlines;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * The bookkeeping of blobs ({@code wheel_blobs}), for every store: which blob holds which digest, and which blobs
 * nothing refers to yet. The life of an upload's blob:
 * <ol>
 * <li>{@link #stage} (its own short transaction) before the first byte: the key with a lease;</li>
 * <li>the bytes are written ({@link WheelStore#create()});</li>
 * <li>{@link #promote} in the transaction that publishes the version: the blob becomes {@code stored}, or, when the
 * digest is stored already, the existing blob is answered as {@code redundant} and the caller discards its own
 * after the commit;</li>
 * <li>on any failure, {@link #discard}; what a crash leaves, the {@link #sweep} deletes once its lease lapsed.</li>
 * </ol>
 * Stored blobs are never deleted.
 */
@ApplicationScoped
public class WheelBlobs {

    private static final Logger LOG = Logger.getLogger(WheelBlobs.class);

    /** Staged rows swept per run; the next run takes the rest. */
    static final int SWEEP_BATCH = 100;

    private final Pool pool;
    private final WheelStores stores;
    private final Duration deadline;

    public WheelBlobs(Pool pool, WheelStores stores, RegistryConfig config) {
        this.pool = pool;
        this.stores = stores;
        this.deadline = config.db().operationDeadline();
    }

    /** Records {@code key} as staged until {@code leaseUntil}, in a transaction of its own, before any byte. */
    public Uni<Void> stage(StorageKind backend, String key, Instant leaseUntil) {
        return execute(
                        "INSERT INTO wheel_blobs (backend, key, state, lease_until) VALUES ($1, $2, 'staged', $3)",
                        Tuple.of(backend.column(), key, OffsetDateTime.ofInstant(leaseUntil, ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    /**
     * In the caller's open transaction (the Hibernate Reactive session of the publish's finish): the blob with this
     * digest. When one is stored already on {@code backend}, that one with {@code redundant=true} (the staged blob
     * stays staged: the caller discards it after its commit); else the staged blob becomes stored with this digest
     * and size. Concurrent promotes of one digest are serialized by a transaction-scoped advisory lock on it: the
     * second sees the first one's blob once the first commits, and neither fails on the unique index.
     *
     * @throws BlobLeaseLapsedException (as the Uni's failure) when the staged row's lease lapsed or it is gone: its
     *     bytes may be being swept
     */
    public Uni<StoredBlob> promote(StorageKind backend, String stagedKey, String sha256, long size) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended(?1, 0))) AS locked",
                                Integer.class)
                        .setParameter(1, "wheel-blob:" + backend.column() + ":" + sha256)
                        .getSingleResult()
                        .chain(() -> session.createNativeQuery(
                                        "SELECT key FROM wheel_blobs WHERE backend = ?1 AND sha256 = ?2 AND state = 'stored'",
                                        String.class)
                                .setParameter(1, backend.column())
                                .setParameter(2, sha256)
                                .getSingleResultOrNull())
                        .chain(existing -> existing != null
                                ? Uni.createFrom().item(new StoredBlob(backend, existing, sha256, size, true))
                                : session.createNativeQuery("""
                                        UPDATE wheel_blobs SET state = 'stored', sha256 = ?3, size = ?4, lease_until = NULL
                                         WHERE backend = ?1 AND key = ?2 AND state = 'staged' AND lease_until > now()""")
                                        .setParameter(1, backend.column())
                                        .setParameter(2, stagedKey)
                                        .setParameter(3, sha256)
                                        .setParameter(4, size)
                                        .executeUpdate()
                                        .map(updated -> {
                                            if (updated != 1) {
                                                throw new BlobLeaseLapsedException(backend, stagedKey);
                                            }
                                            return new StoredBlob(backend, stagedKey, sha256, size, false);
                                        })));
    }

    /**
     * Deletes a staged blob (a failed upload, or a redundant one after its commit): the bytes first, then the row,
     * so that a failure leaves the row for the sweeper to retry. Never touches a stored blob. Never fails: a
     * failure is logged and the sweeper deletes the blob once its lease lapsed.
     */
    public Uni<Void> discard(StorageKind backend, String key) {
        return execute("SELECT state FROM wheel_blobs WHERE backend = $1 AND key = $2", Tuple.of(backend.column(), key))
                .chain(rows -> {
                    RowIterator<Row> it = rows.iterator();
                    if (it.hasNext() && "stored".equals(it.next().getString(0))) {
                        LOG.warnf("Not discarding blob %s:%s: it is stored", backend.column(), key);
                        return Uni.createFrom().voidItem();
                    }
                    return deleteStaged(backend, key);
                })
                .onFailure()
                .recoverWithItem(failure -> {
                    LOG.warnf(
                            "Discarding blob %s:%s failed (the sweeper deletes it once its lease lapsed): %s",
                            backend.column(), key, failure.toString());
                    return null;
                });
    }

    /** Where the wheel with this digest is stored (on the active store when both hold it), or null. */
    public Uni<StoredBlob> findStored(String sha256) {
        return execute("""
                        SELECT backend, key, size FROM wheel_blobs WHERE sha256 = $1 AND state = 'stored'
                         ORDER BY (backend = $2) DESC LIMIT 1""", Tuple.of(sha256, stores.active().kind().column())).map(rows -> {
            RowIterator<Row> it = rows.iterator();
            if (!it.hasNext()) {
                return null;
            }
            Row row = it.next();
            return new StoredBlob(
                    StorageKind.fromColumn(row.getString("backend")),
                    row.getString("key"),
                    sha256,
                    row.getLong("size"),
                    false);
        });
    }

    /**
     * Deletes what failed or abandoned uploads left: staged blobs whose lease lapsed more than the database
     * operation deadline ago (a promote that saw the lease running has committed or rolled back by then; a promote
     * after the lease fails), their bytes first, then their rows; and PostgreSQL chunks whose key has no row.
     */
    public Uni<Sweep> sweep() {
        return execute("""
                        SELECT backend, key FROM wheel_blobs
                         WHERE state = 'staged' AND lease_until < now() - make_interval(secs => $1)
                         ORDER BY lease_until LIMIT $2""", Tuple.of((double) deadline.toMillis() / 1000, SWEEP_BATCH))
                .onItem()
                .transformToMulti(rows -> Multi.createFrom().iterable(rows))
                .onItem()
                .transformToUniAndConcatenate(
                        row -> sweepStaged(StorageKind.fromColumn(row.getString("backend")), row.getString("key")))
                .collect()
                .with(java.util.stream.Collectors.summingInt(swept -> swept ? 1 : 0))
                .chain(staged -> stores.postgres().deleteOrphanChunks().map(orphans -> new Sweep(staged, orphans)));
    }

    /** What one {@link #sweep} deleted: staged blobs, and orphan PostgreSQL chunks (rows). */
    public record Sweep(int stagedBlobs, int orphanChunks) {}

    private Uni<Boolean> sweepStaged(StorageKind backend, String key) {
        WheelStore store = stores.of(backend).orElse(null);
        if (store == null) {
            LOG.debugf("Not sweeping blob %s:%s: this instance has no %s store", backend.column(), key, backend);
            return Uni.createFrom().item(false);
        }
        return deleteStaged(backend, key).replaceWith(true).onFailure().recoverWithItem(failure -> {
            LOG.warnf("Sweeping blob %s:%s failed (retried at the next run): %s", backend.column(), key, failure);
            return false;
        });
    }

    private Uni<Void> deleteStaged(StorageKind backend, String key) {
        WheelStore store = stores.of(backend)
                .orElseThrow(() -> new IllegalStateException("this instance has no " + backend + " store"));
        return store.delete(key)
                .chain(() -> execute(
                        "DELETE FROM wheel_blobs WHERE backend = $1 AND key = $2 AND state = 'staged'",
                        Tuple.of(backend.column(), key)))
                .replaceWithVoid();
    }

    private Uni<RowSet<Row>> execute(String sql, Tuple params) {
        return DatabaseDeadlines.bound(
                pool.withConnection(connection -> connection.preparedQuery(sql).execute(params)),
                deadline,
                "wheel_blobs");
    }
}
