-- Downloads of hosted wheels (GET /files/{sha256}/{filename}): a published or yanked hosted version is found by its
-- digest, and a deleted provider's tombstones keep their files downloadable, so they record the file name and the
-- provider row (soft-deleted: its scope and owner decide who may download).
CREATE INDEX provider_versions_hosted_file ON provider_versions (wheel_sha256) WHERE storage_key IS NOT NULL;

ALTER TABLE version_tombstones
    ADD COLUMN provider_id    BIGINT REFERENCES providers (id),
    ADD COLUMN wheel_filename TEXT;
CREATE INDEX version_tombstones_hosted_file ON version_tombstones (wheel_sha256) WHERE wheel_filename IS NOT NULL;
