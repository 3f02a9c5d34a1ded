package dev.providers.registry.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import dev.providers.registry.config.RegistryConfig;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

@ApplicationScoped
public class ProviderRepository implements PanacheRepository<ProviderEntity> {

    private final List<String> reservedPrefixes;
    private final String publisherGroup;

    public ProviderRepository(RegistryConfig config) {
        this.reservedPrefixes = config.auth().reservedPrefixes();
        this.publisherGroup = config.auth().publisherGroup();
    }

    /**
     * One page of the providers a caller may see (API.md visibility), ordered by canonical name, and the total.
     * {@code q} is a case-insensitive substring of name, display name, description or a tag: it is matched against
     * the generated {@code search_text} column, which a trigram index serves.
     */
    public Uni<SearchPage> search(ProviderQuery query, String callerOrgId, Set<String> callerGroups) {
        SearchSql sql = searchSql(query, callerOrgId, callerGroups);
        return getSession().chain(session -> {
            var ids = session.createNativeQuery(sql.page(), Long.class);
            var total = session.createNativeQuery(sql.count(), Long.class);
            for (int i = 0; i < sql.params().size(); i++) {
                ids.setParameter(i + 1, sql.params().get(i));
                total.setParameter(i + 1, sql.params().get(i));
            }
            return ids.getResultList().flatMap(this::inOrder)
                    .flatMap(rows -> total.getSingleResult().map(n -> new SearchPage(rows, n)));
        });
    }

    /** The SQL of {@link #search} with {@code ?n} parameters (public so that its query plan can be inspected). */
    public SearchSql searchSql(ProviderQuery query, String callerOrgId, Set<String> callerGroups) {
        List<Object> params = new ArrayList<>();
        StringBuilder where = new StringBuilder(" FROM providers p WHERE p.deleted_at IS NULL AND (");
        where.append("(p.scope = 'public' AND EXISTS (SELECT 1 FROM provider_versions v WHERE v.provider_id = p.id")
                .append(" AND v.status IN ('published', 'yanked')))");
        boolean publisher = callerGroups.contains(publisherGroup);
        String reserved = callerOrgId != null || publisher ? placeholders(reservedPrefixes, params) : null;
        if (callerOrgId != null) {
            params.add(callerOrgId);
            where.append(" OR (p.owner_org_id = ?").append(params.size()).append(" AND p.prefix NOT IN (")
                    .append(reserved).append("))");
        }
        if (publisher) {
            where.append(" OR p.prefix IN (").append(reserved).append(")");
        }
        where.append(")");
        if (query.q() != null) {
            params.add("%" + escapeLike(query.q().toLowerCase(Locale.ROOT)) + "%");
            where.append(" AND p.search_text LIKE ?").append(params.size());
        }
        if (query.scope() != null) {
            params.add(query.scope());
            where.append(" AND p.scope = ?").append(params.size());
        }
        for (String tag : query.tags()) {
            params.add(tag.toLowerCase(Locale.ROOT));
            where.append(" AND EXISTS (SELECT 1 FROM jsonb_array_elements_text(p.tags::jsonb) t(tag) WHERE lower(t.tag) = ?")
                    .append(params.size()).append(")");
        }
        return new SearchSql(
                "SELECT p.id" + where + " ORDER BY p.prefix, p.name LIMIT " + query.limit() + " OFFSET " + query.offset(),
                "SELECT count(*)" + where, List.copyOf(params));
    }

    /** The entities of {@code ids}, in the order of {@code ids}. */
    private Uni<List<ProviderEntity>> inOrder(List<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return list("id in ?1", ids).map(rows -> {
            java.util.Map<Long, ProviderEntity> byId = new java.util.HashMap<>();
            rows.forEach(row -> byId.put(row.id, row));
            return ids.stream().map(byId::get).toList();
        });
    }

    private static String placeholders(List<String> values, List<Object> params) {
        StringBuilder out = new StringBuilder();
        for (String value : values) {
            params.add(value);
            out.append(out.length() == 0 ? "" : ", ").append("?").append(params.size());
        }
        return out.length() == 0 ? "NULL" : out.toString();
    }

    static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    public record SearchPage(List<ProviderEntity> items, long total) {
    }

    public record SearchSql(String page, String count, List<Object> params) {
    }

    public Uni<ProviderEntity> findLive(String prefix, String name) {
        return find("prefix = ?1 and name = ?2 and deletedAt is null", prefix, name).firstResult();
    }

    /** Locks the live provider row: claims of one provider are serialized on it. */
    public Uni<ProviderEntity> findLiveForUpdate(String prefix, String name) {
        return find("prefix = ?1 and name = ?2 and deletedAt is null", prefix, name)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /** Creates the provider unless a concurrent request just did; either way the caller then locks the row. */
    public Uni<Integer> insertIfAbsent(String prefix, String name, String ownerOrgId, String ownerName, Instant now) {
        return getSession().chain(session -> session.createNativeQuery("""
                        INSERT INTO providers (prefix, name, owner_org_id, owner_name, display_name, description, tags,
                                               scope, created_at, updated_at)
                        VALUES (?1, ?2, ?3, ?4, ?2, '', '[]', 'public', ?5, ?5)
                        ON CONFLICT (prefix, name) WHERE deleted_at IS NULL DO NOTHING""")
                .setParameter(1, prefix)
                .setParameter(2, name)
                .setParameter(3, ownerOrgId)
                .setParameter(4, ownerName)
                .setParameter(5, now)
                .executeUpdate());
    }
}
