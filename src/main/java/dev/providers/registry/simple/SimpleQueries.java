package dev.providers.registry.simple;

import dev.providers.registry.auth.Caller;
import dev.providers.registry.auth.NamespacePolicy;
import dev.providers.registry.persistence.VersionStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * The reads of the simple index ({@code version_files} with its version and provider), one statement per page on the reactive pool (as {@code CatalogQueries}): only
 * {@code published} and {@code yanked} versions of live providers the caller may see (public scope, or owned by the
 * caller: {@link NamespacePolicy#ownedProvidersSql}).
 */
@ApplicationScoped
public class SimpleQueries {

    /**
     * Seam for hosted wheels (issue 12): an SQL expression that is true when the version's wheel is stored by the
     * registry; its files then link to their download URL instead of the redirect to {@code wheel_url}. Until the
     * version was uploaded (POST /providers/publish): it has a storage backend.
     */
    static final String HOSTED_SQL = "v.storage_backend IS NOT NULL";

    private static final String FROM = " FROM version_files f JOIN provider_versions v ON v.id = f.version_id "
            + "JOIN providers p ON p.id = v.provider_id ";

    private final Pool pool;
    private final NamespacePolicy ownership;

    public SimpleQueries(Pool pool, NamespacePolicy ownership) {
        this.pool = pool;
        this.ownership = ownership;
    }

    /** The organization's projects the caller may see, sorted; empty when none (or no such organization). */
    public Uni<List<String>> projects(String org, Caller caller) {
        List<Object> params = new ArrayList<>(List.of(org));
        String sql = "SELECT DISTINCT f.distribution" + FROM + "WHERE f.prefix = $1" + visible(caller, params)
                + " ORDER BY f.distribution";
        return execute(sql, params).map(rows -> {
            List<String> projects = new ArrayList<>(rows.size());
            for (Row row : rows) {
                projects.add(row.getString(0));
            }
            return projects;
        });
    }

    /** The files of one project the caller may see, lowest version first; empty when none. */
    public Uni<List<FileRow>> files(String org, String project, Caller caller) {
        List<Object> params = new ArrayList<>(List.of(org, project));
        String sql = "SELECT f.wheel_filename, v.wheel_url, v.wheel_sha256, v.status, v.yanked_reason, "
                + "f.requires_python, f.core_metadata_sha256, " + HOSTED_SQL + " AS hosted" + FROM
                + "WHERE f.prefix = $1 AND f.distribution = $2" + visible(caller, params)
                + " ORDER BY v.precedence_key, f.wheel_filename";
        return execute(sql, params).map(rows -> {
            List<FileRow> files = new ArrayList<>(rows.size());
            for (Row row : rows) {
                files.add(new FileRow(
                        row.getString("wheel_filename"),
                        row.getString("wheel_url"),
                        row.getString("wheel_sha256"),
                        VersionStatus.YANKED.wire().equals(row.getString("status")),
                        row.getString("yanked_reason"),
                        row.getString("requires_python"),
                        row.getString("core_metadata_sha256"),
                        Boolean.TRUE.equals(row.getBoolean("hosted"))));
            }
            return files;
        });
    }

    /** The recorded URL and the METADATA of one file of a project the caller may see; {@code null} when none. */
    public Uni<FileContent> file(String org, String project, String sha256, String filename, Caller caller) {
        List<Object> params = new ArrayList<>(List.of(org, project, sha256, filename));
        String sql = "SELECT v.wheel_url, f.core_metadata" + FROM
                + "WHERE f.prefix = $1 AND f.distribution = $2 AND v.wheel_sha256 = $3 AND f.wheel_filename = $4"
                + visible(caller, params) + " LIMIT 1";
        return execute(sql, params).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Row row = rows.iterator().next();
            Buffer metadata = row.getBuffer("core_metadata");
            return new FileContent(row.getString("wheel_url"), metadata == null ? null : metadata.getBytes());
        });
    }

    /**
     * The METADATA of a file by digest and file name alone (the hosted download path {@code /files/{sha256}/{file}}
     * has no organization or project), if the caller may see a version with that file; {@code null} otherwise.
     */
    public Uni<FileMetadata> metadataByDigest(String sha256, String filename, Caller caller) {
        List<Object> params = new ArrayList<>(List.of(sha256, filename));
        String sql = "SELECT f.core_metadata, p.scope = 'tenant' AS tenant" + FROM
                + "WHERE v.wheel_sha256 = $1 AND f.wheel_filename = $2" + visible(caller, params)
                + " AND f.core_metadata IS NOT NULL ORDER BY p.scope = 'tenant' LIMIT 1";
        return execute(sql, params).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Row row = rows.iterator().next();
            return new FileMetadata(row.getBuffer(0).getBytes(), row.getBoolean(1));
        });
    }

    /** A wheel's METADATA file, and whether the provider it was found on is tenant-scope (a private answer). */
    public record FileMetadata(byte[] bytes, boolean tenant) {}

    private String visible(Caller caller, List<Object> params) {
        StringBuilder where = new StringBuilder(" AND v.status IN ")
                .append(VersionStatus.PUBLIC_SQL)
                .append(" AND p.deleted_at IS NULL AND (p.scope = 'public'");
        String owned = ownership.ownedProvidersSql(caller, params);
        if (owned != null) {
            where.append(" OR ").append(owned);
        }
        return where.append(')').toString();
    }

    private Uni<RowSet<Row>> execute(String sql, List<Object> params) {
        Tuple tuple = Tuple.tuple(params);
        return pool.withConnection(connection -> connection.preparedQuery(sql).execute(tuple));
    }

    /** One row of a project page. */
    public record FileRow(
            String filename,
            String wheelUrl,
            String sha256,
            boolean yanked,
            String yankedReason,
            String requiresPython,
            String coreMetadataSha256,
            boolean hosted) {}

    /** A file's recorded URL and its METADATA (or null). */
    public record FileContent(String wheelUrl, byte[] coreMetadata) {}
}
