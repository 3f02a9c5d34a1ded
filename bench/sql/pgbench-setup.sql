CREATE SEQUENCE IF NOT EXISTS bench_version_seq;
INSERT INTO providers (prefix, name, owner_org_id, owner_name, display_name, description, tags, scope, created_at, updated_at)
SELECT 'pgb', 'p' || i, 'org_bench', 'bench', 'p' || i, '', '[]', 'public', now(), now() FROM generate_series(0, 63) i
ON CONFLICT DO NOTHING;
