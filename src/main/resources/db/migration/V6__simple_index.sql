-- The simple repository API (PEP 503 / 691 / 658, issue 13): per published version its wheel's file name, its
-- PEP 503-normalised distribution name (the project of the index) and its METADATA file with digest and
-- Requires-Python, captured while the wheel streamed at publish. A table of its own: provider_versions (and its
-- entity) stay as they are, and a metadata file never travels with a catalog read.
CREATE TABLE version_files (
    version_id             BIGINT      PRIMARY KEY REFERENCES provider_versions (id) ON DELETE CASCADE,
    prefix                 TEXT        NOT NULL,
    distribution           TEXT        NOT NULL,
    wheel_filename         TEXT        NOT NULL,
    -- pending: not looked at yet (published before this table existed: the backfill job streams the wheel once);
    -- captured: core_metadata is set; absent: the wheel has no METADATA that could be kept (over 1 MiB, say), or
    -- its bytes no longer have the published digest.
    core_metadata_state    TEXT        NOT NULL CHECK (core_metadata_state IN ('pending', 'captured', 'absent')),
    core_metadata          BYTEA,
    core_metadata_sha256   TEXT,
    requires_python        TEXT,
    -- when the backfill job may try a pending row next (it claims a row by moving this forward)
    retry_at               TIMESTAMPTZ,
    CONSTRAINT version_files_captured CHECK ((core_metadata_state = 'captured') = (core_metadata IS NOT NULL))
);
-- A project page and an organization's index: one index scan each.
CREATE INDEX version_files_project ON version_files (prefix, distribution);
-- The backfill job's queue.
CREATE INDEX version_files_pending ON version_files (retry_at NULLS FIRST) WHERE core_metadata_state = 'pending';

-- Versions published before: the file name is the last path segment of the recorded URL (with the percent-escapes of
-- the few characters a wheel file name can hold decoded); the backfill job rewrites both from the parsed file name.
INSERT INTO version_files (version_id, prefix, distribution, wheel_filename, core_metadata_state)
SELECT id, prefix, lower(regexp_replace(split_part(f.name, '-', 1), '[-_.]+', '-', 'g')), f.name, 'pending'
FROM provider_versions,
     LATERAL (SELECT replace(replace(replace(
         regexp_replace(regexp_replace(wheel_url, '[?#].*$', ''), '^.*/', ''), '%2B', '+'), '%2b', '+'), '%21', '!')
         AS name) f
WHERE status IN ('published', 'yanked') AND wheel_url IS NOT NULL;
