-- Item 4's catalog: 10,000 public providers (prefix 'cat') with 10 published versions each (100,000 rows),
-- inserted directly (the constraints are those of SearchPlanTest's rows). Run once per database.
INSERT INTO providers (prefix, name, owner_org_id, owner_name, display_name, description, tags, scope,
                       latest_version, created_at, updated_at)
SELECT 'cat', 'provider-' || i, 'org_cat', 'Catalog', 'Provider ' || i, 'manages resource kind ' || md5(i::text),
       '["tag' || (i % 50) || '"]', 'public', '1.0.9', now(), now()
FROM generate_series(1, 10000) i;
INSERT INTO provider_versions (provider_id, prefix, name, version, pep440, precedence_key, pre_release, status,
                               runtime_version, wheel_url, wheel_sha256, package_name, attempt_id, published_at,
                               created_at, updated_at)
SELECT p.id, p.prefix, p.name, '1.0.' || j, '1.0.' || j, '11' || '1' || '0' || '1' || j || '~', false, 'published',
       '1.0.0', 'https://x.test/' || replace(p.name, '-', '_') || '-1.0.' || j || '-py3-none-any.whl',
       md5(p.name || j) || md5(j || p.name), 'cat_pkg', gen_random_uuid(), now(), now(), now()
FROM providers p CROSS JOIN generate_series(0, 9) j
WHERE p.prefix = 'cat';
ANALYZE providers;
ANALYZE provider_versions;
