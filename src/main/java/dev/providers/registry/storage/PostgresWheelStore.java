package dev.providers.registry.storage;

import dev.providers.registry.config.RegistryConfig;
import dev.providers.registry.db.DatabaseDeadlines;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import java.time.Duration;
import java.util.UUID;

/**
 * The default wheel store: a blob is rows of {@code wheel_chunks}, {@code registry.storage.postgres.chunk-size}
 * bytes each (the last one shorter), on the reactive client. Every chunk is one INSERT (autocommit) and every read
 * one SELECT, so no transaction spans an upload or a download, and each statement is bounded by
 * {@code registry.db.operation-deadline}. Writes keep at most about two chunks in memory ({@link PartedBlobWrite});
 * reads fetch a chunk only when the subscriber asks for more.
 * <p>
 * Always a bean ({@link WheelStores} serves blobs stored here also when the active store is another one), typed to
 * its class only so that {@code WheelStore} injection points get the active store.
 */
@ApplicationScoped
@Typed(PostgresWheelStore.class)
public class PostgresWheelStore implements WheelStore {

    private final Pool pool;
    private final Vertx vertx;
    private final int chunkSize;
    private final Duration deadline;

    public PostgresWheelStore(Pool pool, Vertx vertx, RegistryConfig config) {
        this.pool = pool;
        this.vertx = vertx;
        long configured = config.storage().postgres().chunkSize().asLongValue();
        if (configured < 1024 || configured > 64L * 1024 * 1024) {
            throw new IllegalStateException(
                    "registry.storage.postgres.chunk-size must be between 1K and 64M, not " + configured);
        }
        this.chunkSize = (int) configured;
        this.deadline = config.db().operationDeadline();
    }

    @Override
    public StorageKind kind() {
        return StorageKind.POSTGRES;
    }

    @Override
    public BlobWrite create() {
        return new ChunkWrite(context(), UUID.randomUUID().toString(), chunkSize);
    }

    @Override
    public Multi<Buffer> read(String key, long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length");
        }
        if (length == 0) {
            return Multi.createFrom().empty();
        }
        // The chunk size the blob was written with (chunk 0's length), not the configured one, which may have
        // changed since.
        return execute("SELECT octet_length(data) FROM wheel_chunks WHERE key = $1 AND seq = 0", Tuple.of(key))
                .map(rows -> {
                    RowIterator<Row> it = rows.iterator();
                    if (!it.hasNext()) {
                        throw new BlobMissingException("no blob " + key + " in wheel_chunks");
                    }
                    return it.next().getInteger(0);
                })
                .onItem()
                .transformToMulti(written -> chunks(key, written, offset, length));
    }

    /** One SELECT per chunk the range touches, each subscribed when the subscriber requests the next item. */
    private Multi<Buffer> chunks(String key, int written, long offset, long length) {
        long first = offset / written;
        long last = (offset + length - 1) / written;
        long[] position = {offset};
        return Multi.createBy()
                .repeating()
                .uni(() -> position, at -> {
                    long from = at[0];
                    int seq = Math.toIntExact(from / written);
                    int within = (int) (from % written);
                    int count = (int) Math.min(written - within, offset + length - from);
                    return execute(
                                    "SELECT substring(data FROM $3 FOR $4) FROM wheel_chunks WHERE key = $1 AND seq = $2",
                                    Tuple.of(key, seq, within + 1, count))
                            .map(rows -> {
                                RowIterator<Row> it = rows.iterator();
                                Buffer bytes =
                                        it.hasNext() ? it.next().getBuffer(0).getDelegate() : null;
                                if (bytes == null || bytes.length() != count) {
                                    throw new BlobMissingException("blob " + key + ": chunk " + seq + " is missing or"
                                            + " short (" + (bytes == null ? "none" : bytes.length() + " bytes") + ")");
                                }
                                at[0] = from + count;
                                return bytes;
                            });
                })
                .atMost(last - first + 1);
    }

    @Override
    public Uni<Void> delete(String key) {
        return execute("DELETE FROM wheel_chunks WHERE key = $1", Tuple.of(key)).replaceWithVoid();
    }

    /** Orphan chunks: those of keys that have no wheel_blobs row (a crash between a discard's two deletes). */
    Uni<Integer> deleteOrphanChunks() {
        return execute("""
                        DELETE FROM wheel_chunks c
                         WHERE NOT EXISTS (SELECT 1 FROM wheel_blobs b WHERE b.backend = 'postgres' AND b.key = c.key)""", Tuple.tuple()).map(RowSet::rowCount);
    }

    @Override
    public Uni<Void> check() {
        return execute("SELECT 1 FROM wheel_chunks LIMIT 0", Tuple.tuple()).replaceWithVoid();
    }

    /*
     * Through an acquired connection rather than Pool#preparedQuery (see CatalogQueries#execute: the pool-level path
     * completes twice when the acquire timeout fires before a failing connect).
     */
    private Uni<RowSet<Row>> execute(String sql, Tuple params) {
        return DatabaseDeadlines.bound(
                pool.withConnection(connection -> connection.preparedQuery(sql).execute(params)),
                deadline,
                "wheel_chunks");
    }

    private Context context() {
        Context current = io.vertx.core.Vertx.currentContext();
        return current != null ? current : vertx.getDelegate().getOrCreateContext();
    }

    /** A blob written as chunks: one INSERT per full chunk, the last partial one at end. */
    private final class ChunkWrite extends PartedBlobWrite {

        ChunkWrite(Context context, String key, int chunkSize) {
            super(context, key, chunkSize);
        }

        @Override
        protected Uni<Void> storePart(int part, BlobPart bytes) {
            return insert(part, bytes);
        }

        @Override
        protected Uni<Void> complete(int parts, BlobPart last) {
            return last.length() == 0 ? Uni.createFrom().voidItem() : insert(parts, last);
        }

        @Override
        protected Uni<Void> remove() {
            return delete(key());
        }

        /** The chunk's buffers as one composite view: the client's bytea encoding copies them into its message. */
        private Uni<Void> insert(int seq, BlobPart bytes) {
            return execute(
                            "INSERT INTO wheel_chunks (key, seq, data) VALUES ($1, $2, $3)",
                            Tuple.of(key(), seq, bytes.asBuffer()))
                    .replaceWithVoid();
        }
    }
}
