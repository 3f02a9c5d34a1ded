-- Catalog search: a case-insensitive substring of name, display name, description or a tag uses a trigram index.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER TABLE providers
    ADD COLUMN search_text TEXT GENERATED ALWAYS AS (
        lower(name || E'\n' || display_name || E'\n' || description || E'\n' || tags)) STORED;
-- fastupdate off: the catalog is written rarely and read often; without it, rows wait in the GIN pending list
-- (until the next vacuum), which the planner prices as a full scan and so ignores the index.
CREATE INDEX providers_search_trgm ON providers USING gin (search_text gin_trgm_ops) WITH (fastupdate = off);
CREATE INDEX providers_live_order ON providers (prefix, name) WHERE deleted_at IS NULL;

-- Visibility: does a provider have a published or yanked version?
CREATE INDEX provider_versions_provider_status ON provider_versions (provider_id, status);

-- DELETE keeps every version that had a digest as a tombstone: the number can be reused only with that digest.
CREATE TABLE version_tombstones (
    id            BIGSERIAL PRIMARY KEY,
    prefix        TEXT        NOT NULL,
    name          TEXT        NOT NULL,
    version       TEXT        NOT NULL,
    pep440        TEXT        NOT NULL,
    wheel_sha256  TEXT        NOT NULL,
    deleted_at    TIMESTAMPTZ NOT NULL,
    CONSTRAINT version_tombstones_unique UNIQUE (prefix, name, pep440)
);

-- Audit events: every write, keyed by canonical name so that they outlive a DELETE.
CREATE TABLE audit_events (
    id             BIGSERIAL PRIMARY KEY,
    canonical      TEXT        NOT NULL,
    version        TEXT,
    action         TEXT        NOT NULL,
    actor_sub      TEXT        NOT NULL,
    actor_org_id   TEXT,
    at             TIMESTAMPTZ NOT NULL,
    status_before  TEXT,
    status_after   TEXT,
    detail         TEXT
);
CREATE INDEX audit_events_by_canonical ON audit_events (canonical, id DESC);
