-- Per-organization publish rate limit (registry.publish.rate-limit): fixed windows counted in the database, so
-- that the limit holds across replicas. Old windows are deleted by the sweeper.
CREATE TABLE publish_rate_windows (
    org_key       TEXT        NOT NULL,
    window_start  TIMESTAMPTZ NOT NULL,
    publishes     INTEGER     NOT NULL,
    PRIMARY KEY (org_key, window_start)
);
-- The concurrent-fetch cap counts the organization's building rows with a running lease.
CREATE INDEX providers_owner ON providers (owner_org_id);
