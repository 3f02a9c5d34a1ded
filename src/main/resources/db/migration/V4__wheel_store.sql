-- Hosted wheels (POST /providers/publish): the bytes live in a wheel store (registry.storage.kind), content-addressed
-- by SHA-256 through wheel_blobs. A blob is written under a fresh key while it uploads ('staged', with a lease: the
-- sweeper deletes what a crashed or abandoned upload left), and becomes 'stored' in the transaction that publishes
-- the version referencing it. Identical bytes are stored once: a second upload of them is dropped at finish and the
-- version references the first blob. Stored blobs are never deleted (a deleted provider's tombstones keep theirs).
CREATE TABLE wheel_blobs (
    backend      TEXT        NOT NULL CHECK (backend IN ('postgres', 's3')),
    key          TEXT        NOT NULL,
    state        TEXT        NOT NULL CHECK (state IN ('staged', 'stored')),
    sha256       TEXT,
    size         BIGINT,
    lease_until  TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (backend, key),
    CONSTRAINT wheel_blobs_stored_has_digest CHECK (state <> 'stored' OR (sha256 IS NOT NULL AND size IS NOT NULL))
);
CREATE UNIQUE INDEX wheel_blobs_content ON wheel_blobs (backend, sha256) WHERE state = 'stored';
CREATE INDEX wheel_blobs_staged ON wheel_blobs (lease_until) WHERE state = 'staged';

-- The PostgreSQL backend: a blob's bytes in numbered chunks (registry.storage.postgres.chunk-size each, the last one
-- shorter), written and read one chunk per statement so that no transaction spans an upload or a download.
CREATE TABLE wheel_chunks (
    key    TEXT    NOT NULL,
    seq    INTEGER NOT NULL,
    data   BYTEA   NOT NULL,
    PRIMARY KEY (key, seq)
);
-- Wheels are zip files, already compressed: store the chunks out of line without trying pglz on every insert, which
-- also lets substring() read only the TOAST pages of the range a download asks for.
ALTER TABLE wheel_chunks ALTER COLUMN data SET STORAGE EXTERNAL;

-- A hosted version records where its wheel is; its wheel_url is the download URL, built when it is answered (from
-- registry.public-url or the request's host), so wheel_url stays null on these rows.
ALTER TABLE provider_versions
    ADD COLUMN storage_backend TEXT,
    ADD COLUMN storage_key     TEXT,
    ADD COLUMN wheel_filename  TEXT,
    ADD COLUMN wheel_size      BIGINT,
    ALTER COLUMN wheel_url DROP NOT NULL,
    ADD CONSTRAINT provider_versions_wheel_source CHECK (wheel_url IS NOT NULL OR storage_backend IS NOT NULL),
    ADD CONSTRAINT provider_versions_hosted_has_file CHECK (storage_backend IS NULL OR wheel_filename IS NOT NULL);
