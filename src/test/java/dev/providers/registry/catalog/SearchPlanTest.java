package dev.providers.registry.catalog;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.providers.registry.auth.Caller;
import dev.providers.registry.persistence.CatalogQueries;
import dev.providers.registry.persistence.ProviderQuery;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A selective catalog search over 10,000 providers uses the trigram index, not a scan of every provider. */
@QuarkusTest
class SearchPlanTest {

    @Inject
    Pool db;

    @Inject
    CatalogQueries queries;

    @Test
    void selectiveSearchUsesTheTrigramIndex() {
        String prefix = "plan-" + UUID.randomUUID().toString().substring(0, 8);
        db.preparedQuery("""
                INSERT INTO providers (prefix, name, owner_org_id, owner_name, display_name, description, tags, scope,
                                       created_at, updated_at)
                SELECT $1, 'provider-' || i, 'org_plan', 'Plan', 'Provider ' || i, 'manages resource kind ' || md5(i::text),
                       '["tag' || (i % 50) || '"]', 'public', now(), now()
                FROM generate_series(1, 10000) i""").executeAndAwait(Tuple.of(prefix));
        db.preparedQuery("""
                INSERT INTO provider_versions (provider_id, prefix, name, version, pep440, precedence_key, pre_release,
                    status, runtime_version, wheel_url, wheel_sha256, attempt_id, created_at, updated_at)
                SELECT id, prefix, name, '1.0.0', '1.0.0', '1.0.0', false, 'published', '1.0.0',
                       'https://x.test/' || name || '-1.0.0-py3-none-any.whl', md5(name) || md5(name), gen_random_uuid(),
                       now(), now()
                FROM providers WHERE prefix = $1""").executeAndAwait(Tuple.of(prefix));
        db.query("ANALYZE providers").executeAndAwait();
        db.query("ANALYZE provider_versions").executeAndAwait();

        // A word that one description carries (a slice of md5('4242')), in another case than stored.
        String word = db.query("SELECT upper(substr(md5('4242'), 3, 10))")
                .executeAndAwait()
                .iterator()
                .next()
                .getString(0);
        var sql = queries.searchSql(new ProviderQuery(word, null, List.of(), 20, 0), Caller.ANONYMOUS);
        StringBuilder plan = new StringBuilder();
        for (Row row : db.preparedQuery("EXPLAIN ANALYZE " + sql.page()).executeAndAwait(Tuple.from(sql.params()))) {
            plan.append(row.getString(0)).append('\n');
        }
        System.out.println("Query plan of GET /providers?q=" + word + " over 10,000 providers:\n" + plan);
        assertTrue(plan.toString().contains("providers_search_trgm"), plan.toString());
        assertTrue(plan.toString().contains("rows=1 loops=1"), "exactly one provider matches: " + plan);
    }
}
