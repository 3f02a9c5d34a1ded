package dev.providers.registry.persistence;

import dev.providers.registry.auth.Caller;
import dev.providers.registry.auth.NamespacePolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The hot catalog reads as one SQL statement each, on the reactive pool without an ORM session: a read of a
 * provider or of one of its versions is a single round trip (the provider, the version and whether the provider has
 * a public version), a search page is one statement that also counts the matches. Writes stay on Hibernate Reactive.
 */
@ApplicationScoped
public class CatalogQueries {

    private static final String PROVIDER_COLUMNS = "p.id, p.prefix, p.name, p.owner_org_id, p.owner_name, "
            + "p.display_name, p.description, p.icon_url, p.readme, p.tags, p.scope, p.latest_version, p.created_at, "
            + "p.updated_at";

    /*
     * A public version row proves the provider public on its own; only otherwise is the EXISTS probe evaluated
     * (CASE evaluates its branches lazily).
     */
    private static final String LOOKUP = "SELECT " + PROVIDER_COLUMNS + ", "
            + "v.version, v.runtime_version, v.wheel_url, v.wheel_filename, v.wheel_sha256, v.package_name, "
            + "v.entrypoint, v.schemas, "
            + "v.config_schema, v.outputs_schema, v.changelog, v.status, v.published_at, v.error_message, "
            + "v.yanked_at, v.yanked_reason, v.lease_until, v.created_at AS v_created_at, v.updated_at AS v_updated_at, "
            + "CASE WHEN v.status IN " + VersionStatus.PUBLIC_SQL
            + " THEN true ELSE EXISTS (SELECT 1 FROM provider_versions pv "
            + "WHERE pv.provider_id = p.id AND pv.status IN " + VersionStatus.PUBLIC_SQL
            + ") END AS has_public_version "
            + "FROM providers p LEFT JOIN provider_versions v "
            + "ON v.prefix = p.prefix AND v.name = p.name AND v.version = $3 "
            + "WHERE p.prefix = $1 AND p.name = $2 AND p.deleted_at IS NULL";

    private final Pool pool;
    private final NamespacePolicy ownership;

    public CatalogQueries(Pool pool, NamespacePolicy ownership) {
        this.pool = pool;
        this.ownership = ownership;
    }

    /**
     * The live provider {@code prefix/name} (lower case), its version {@code version} if it has one (pass
     * {@code null} to read the provider alone), and whether it has a published or yanked version; {@code null} when
     * there is no such provider.
     */
    public Uni<ProviderLookup> lookup(String prefix, String name, String version) {
        return execute(LOOKUP, Tuple.of(prefix, name, version)).map(rows -> {
            RowIterator<Row> it = rows.iterator();
            if (!it.hasNext()) {
                return null;
            }
            Row row = it.next();
            return new ProviderLookup(
                    provider(row),
                    row.getString("version") == null ? null : version(row),
                    row.getBoolean("has_public_version"));
        });
    }

    /** One page of the providers a caller may see, and the number of all that match. */
    public Uni<SearchPage> search(ProviderQuery query, Caller caller) {
        SearchSql sql = searchSql(query, caller);
        Tuple params = Tuple.tuple(new ArrayList<>(sql.params()));
        return execute(sql.page(), params).flatMap(rows -> {
            List<ProviderEntity> items = new ArrayList<>(rows.size());
            long total = 0;
            for (Row row : rows) {
                items.add(provider(row));
                total = row.getLong("total");
            }
            if (!items.isEmpty() || sql.offset() == 0) {
                return Uni.createFrom().item(new SearchPage(items, total));
            }
            // A page past the end has no row to carry the count.
            return execute(sql.count(), params)
                    .map(count ->
                            new SearchPage(List.of(), count.iterator().next().getLong(0)));
        });
    }

    /**
     * One page of the providers a caller may see (API.md visibility), ordered by canonical name, as SQL with
     * {@code $n} parameters (public so that its query plan can be inspected).
     * {@code q} is a case-insensitive substring of name, display name, description or a tag: it is matched against
     * the generated {@code search_text} column, which a trigram index serves.
     */
    public SearchSql searchSql(ProviderQuery query, Caller caller) {
        List<Object> params = new ArrayList<>();
        StringBuilder where = new StringBuilder(" FROM providers p WHERE p.deleted_at IS NULL AND (");
        where.append("(p.scope = 'public' AND EXISTS (SELECT 1 FROM provider_versions v WHERE v.provider_id = p.id")
                .append(" AND v.status IN ")
                .append(VersionStatus.PUBLIC_SQL)
                .append("))");
        String owned = ownership.ownedProvidersSql(caller, params);
        if (owned != null) {
            where.append(" OR ").append(owned);
        }
        where.append(")");
        if (query.q() != null) {
            params.add("%" + escapeLike(query.q().toLowerCase(Locale.ROOT)) + "%");
            where.append(" AND p.search_text LIKE $").append(params.size());
        }
        if (query.scope() != null) {
            params.add(query.scope());
            where.append(" AND p.scope = $").append(params.size());
        }
        for (String tag : query.tags()) {
            params.add(tag.toLowerCase(Locale.ROOT));
            where.append(
                            " AND EXISTS (SELECT 1 FROM jsonb_array_elements_text(p.tags::jsonb) t(tag) WHERE lower(t.tag) = $")
                    .append(params.size())
                    .append(")");
        }
        String order = " ORDER BY p.prefix, p.name LIMIT " + query.limit() + " OFFSET " + query.offset();
        return new SearchSql(
                "SELECT " + PROVIDER_COLUMNS + ", count(*) OVER () AS total" + where + order,
                "SELECT count(*)" + where,
                List.copyOf(params),
                query.offset());
    }

    static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    public record SearchPage(List<ProviderEntity> items, long total) {}

    /** {@code page} selects the rows of the page and the count of all matches; {@code count} counts alone. */
    public record SearchSql(String page, String count, List<Object> params, long offset) {}

    /*
     * Through an acquired connection rather than Pool#preparedQuery: when the acquire timeout fires first and the
     * connect attempt fails later, the pool-level path completes its promise twice and Vert.x logs an uncaught
     * IllegalStateException (seen with a black-holed database); the acquire path fails once, cleanly.
     */
    private Uni<RowSet<Row>> execute(String sql, Tuple params) {
        return pool.withConnection(connection -> connection.preparedQuery(sql).execute(params));
    }

    private static ProviderEntity provider(Row row) {
        ProviderEntity p = new ProviderEntity();
        p.id = row.getLong("id");
        p.prefix = row.getString("prefix");
        p.name = row.getString("name");
        p.ownerOrgId = row.getString("owner_org_id");
        p.ownerName = row.getString("owner_name");
        p.displayName = row.getString("display_name");
        p.description = row.getString("description");
        p.iconUrl = row.getString("icon_url");
        p.readme = row.getString("readme");
        p.tags = row.getString("tags");
        p.scope = row.getString("scope");
        p.latestVersion = row.getString("latest_version");
        p.createdAt = instant(row, "created_at");
        p.updatedAt = instant(row, "updated_at");
        return p;
    }

    private static ProviderVersionEntity version(Row row) {
        ProviderVersionEntity v = new ProviderVersionEntity();
        v.providerId = row.getLong("id");
        v.prefix = row.getString("prefix");
        v.name = row.getString("name");
        v.version = row.getString("version");
        v.runtimeVersion = row.getString("runtime_version");
        v.wheelUrl = row.getString("wheel_url");
        v.wheelFilename = row.getString("wheel_filename"); // a hosted version's wheel_url is built from it
        v.wheelSha256 = row.getString("wheel_sha256");
        v.packageName = row.getString("package_name");
        v.entrypoint = row.getString("entrypoint");
        v.schemas = row.getString("schemas");
        v.configSchema = row.getString("config_schema");
        v.outputsSchema = row.getString("outputs_schema");
        v.changelog = row.getString("changelog");
        v.status = VersionStatus.fromWire(row.getString("status"));
        v.publishedAt = instant(row, "published_at");
        v.errorMessage = row.getString("error_message");
        v.yankedAt = instant(row, "yanked_at");
        v.yankedReason = row.getString("yanked_reason");
        v.leaseUntil = instant(row, "lease_until");
        v.createdAt = instant(row, "v_created_at");
        v.updatedAt = instant(row, "v_updated_at");
        return v;
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    /** A live provider, one of its versions (or null) and whether any of its versions is published or yanked. */
    public record ProviderLookup(ProviderEntity provider, ProviderVersionEntity version, boolean hasPublicVersion) {}
}
