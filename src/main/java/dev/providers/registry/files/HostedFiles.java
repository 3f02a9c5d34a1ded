package dev.providers.registry.files;

import dev.providers.registry.db.DatabaseDeadline;
import dev.providers.registry.persistence.VersionStatus;
import dev.providers.registry.storage.StorageKind;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a hosted wheel's file is, by its digest and file name: a published or yanked hosted version that has it,
 * or the tombstone of a deleted provider's version (deleting a provider keeps its files). One statement on the
 * reactive pool; no session is held while the file streams.
 */
@ApplicationScoped
@DatabaseDeadline
public class HostedFiles {

    /** One version (or tombstone) that has the file, and who may see it. */
    public record HostedFile(
            StorageKind backend, String key, long size, String prefix, boolean tenantScope, String ownerOrgId) {}

    private static final String FIND = """
            SELECT v.storage_backend AS backend, v.storage_key AS key, v.wheel_size AS size,
                   p.prefix, p.scope, p.owner_org_id
              FROM provider_versions v JOIN providers p ON p.id = v.provider_id
             WHERE v.wheel_sha256 = $1 AND v.storage_key IS NOT NULL AND v.wheel_filename = $2
               AND v.status IN %s
            UNION ALL
            SELECT b.backend, b.key, b.size, p.prefix, p.scope, p.owner_org_id
              FROM version_tombstones t
              JOIN providers p ON p.id = t.provider_id
              JOIN wheel_blobs b ON b.sha256 = t.wheel_sha256 AND b.state = 'stored'
             WHERE t.wheel_sha256 = $1 AND t.wheel_filename = $2
             LIMIT 20""".formatted(VersionStatus.PUBLIC_SQL);

    private final Pool pool;

    public HostedFiles(Pool pool) {
        this.pool = pool;
    }

    /** Every version and tombstone that has this file (identical bytes may be published under several names). */
    public Uni<List<HostedFile>> find(String sha256, String fileName) {
        return pool.withConnection(connection -> connection.preparedQuery(FIND).execute(Tuple.of(sha256, fileName)))
                .map(rows -> {
                    List<HostedFile> found = new ArrayList<>();
                    for (Row row : rows) {
                        found.add(new HostedFile(
                                StorageKind.fromColumn(row.getString("backend")),
                                row.getString("key"),
                                row.getLong("size"),
                                row.getString("prefix"),
                                "tenant".equals(row.getString("scope")),
                                row.getString("owner_org_id")));
                    }
                    return found;
                });
    }
}
