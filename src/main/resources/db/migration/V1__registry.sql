-- Providers: one live row per (prefix, name); DELETE marks the row deleted and keeps its versions as tombstones.
CREATE TABLE providers (
    id              BIGSERIAL PRIMARY KEY,
    prefix          TEXT        NOT NULL,
    name            TEXT        NOT NULL,
    owner_org_id    TEXT        NOT NULL,
    owner_name      TEXT        NOT NULL,
    display_name    TEXT        NOT NULL,
    description     TEXT        NOT NULL DEFAULT '',
    icon_url        TEXT,
    readme          TEXT,
    tags            TEXT        NOT NULL DEFAULT '[]',
    scope           TEXT        NOT NULL DEFAULT 'public' CHECK (scope IN ('public', 'tenant')),
    latest_version  TEXT,
    deleted_at      TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX providers_live_name ON providers (prefix, name) WHERE deleted_at IS NULL;

CREATE TABLE provider_versions (
    id                BIGSERIAL PRIMARY KEY,
    provider_id       BIGINT      NOT NULL REFERENCES providers (id),
    prefix            TEXT        NOT NULL,
    name              TEXT        NOT NULL,
    version           TEXT        NOT NULL,
    pep440            TEXT        NOT NULL,
    -- SemVer precedence as a byte-wise sortable key (see SemVer#precedenceKey).
    precedence_key    TEXT COLLATE "C" NOT NULL,
    pre_release       BOOLEAN     NOT NULL,
    status            TEXT        NOT NULL CHECK (status IN ('building', 'published', 'failed', 'yanked')),
    runtime_version   TEXT        NOT NULL,
    wheel_url         TEXT        NOT NULL,
    requested_sha256  TEXT,
    wheel_sha256      TEXT,
    package_name      TEXT,
    entrypoint        TEXT,
    schemas           TEXT,
    config_schema     TEXT,
    outputs_schema    TEXT,
    changelog         TEXT,
    -- Catalog metadata of the request; applied to the provider when the publish finalizes.
    metadata          TEXT,
    attempt_id        UUID        NOT NULL,
    lease_until       TIMESTAMPTZ,
    error_message     TEXT,
    published_at      TIMESTAMPTZ,
    yanked_at         TIMESTAMPTZ,
    yanked_reason     TEXT,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT provider_versions_version_unique UNIQUE (prefix, name, version),
    CONSTRAINT provider_versions_pep440_unique UNIQUE (prefix, name, pep440),
    CONSTRAINT provider_versions_published_has_digest CHECK (status NOT IN ('published', 'yanked') OR wheel_sha256 IS NOT NULL)
);
CREATE INDEX provider_versions_order ON provider_versions (prefix, name, precedence_key DESC);
CREATE INDEX provider_versions_building ON provider_versions (lease_until) WHERE status = 'building';

CREATE TABLE runtime_versions (
    id              BIGSERIAL PRIMARY KEY,
    version         TEXT        NOT NULL UNIQUE,
    precedence_key  TEXT COLLATE "C" NOT NULL,
    pre_release     BOOLEAN     NOT NULL,
    image_url       TEXT        NOT NULL,
    changelog       TEXT,
    released_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX runtime_versions_order ON runtime_versions (precedence_key DESC);
