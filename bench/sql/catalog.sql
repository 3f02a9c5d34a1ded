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
-- The simple index (issue 13): every version a file of project 'provider-N' with a 600-byte METADATA file.
INSERT INTO version_files (version_id, prefix, distribution, wheel_filename, core_metadata_state, core_metadata,
                           core_metadata_sha256, requires_python)
SELECT v.id, v.prefix, v.name, replace(v.name, '-', '_') || '-' || v.version || '-py3-none-any.whl', 'captured',
       convert_to(rpad('Metadata-Version: 2.1' || E'\nName: ' || v.name || E'\nVersion: ' || v.version
                       || E'\nRequires-Python: >=3.9\n', 600, '#'), 'UTF8'),
       md5(v.name || v.version) || md5(v.version || v.name), '>=3.9'
FROM provider_versions v
WHERE v.prefix = 'cat';
ANALYZE version_files;
