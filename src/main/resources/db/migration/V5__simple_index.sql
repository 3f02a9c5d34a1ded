-- The simple repository API (PEP 503 / 691, issue 13): per version the wheel's file name and its PEP 503-normalised
-- distribution name (the project of the index), and the wheel's METADATA file (PEP 658) with its digest and
-- Requires-Python, captured while the wheel streamed at publish.
ALTER TABLE provider_versions
    ADD COLUMN wheel_filename        TEXT,
    ADD COLUMN distribution          TEXT,
    ADD COLUMN core_metadata         BYTEA,
    ADD COLUMN core_metadata_sha256  TEXT,
    ADD COLUMN requires_python       TEXT,
    -- pending: not looked at yet (published before this migration: the backfill job streams the wheel once);
    -- captured: core_metadata is set; absent: the wheel has no METADATA that could be kept (over 1 MiB, say).
    ADD COLUMN core_metadata_state   TEXT NOT NULL DEFAULT 'pending'
        CHECK (core_metadata_state IN ('pending', 'captured', 'absent')),
    -- when the backfill job may try a pending row next (it claims a row by moving this forward)
    ADD COLUMN core_metadata_retry_at TIMESTAMPTZ;

-- Rows published before: the file name is the last path segment of the recorded URL (percent-decoding of the few
-- characters a wheel file name can hold); the backfill job rewrites both from the parsed file name.
UPDATE provider_versions
SET wheel_filename = replace(replace(replace(
        regexp_replace(regexp_replace(wheel_url, '[?#].*$', ''), '^.*/', ''), '%2B', '+'), '%2b', '+'), '%21', '!')
WHERE status IN ('published', 'yanked');
UPDATE provider_versions
SET distribution = lower(regexp_replace(split_part(wheel_filename, '-', 1), '[-_.]+', '-', 'g'))
WHERE wheel_filename IS NOT NULL;

-- A project page and an organization's index: one index scan each.
CREATE INDEX provider_versions_project ON provider_versions (prefix, distribution)
    WHERE status IN ('published', 'yanked');
-- The backfill job's queue.
CREATE INDEX provider_versions_metadata_pending ON provider_versions (core_metadata_retry_at NULLS FIRST)
    WHERE core_metadata_state = 'pending' AND status IN ('published', 'yanked');
