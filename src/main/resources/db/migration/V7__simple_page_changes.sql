-- The cache of public simple index pages (issue 13): every committed change of what a project page shows is
-- announced on the channel simple_pages as 'prefix/distribution' (the page /simple/{prefix}/{distribution}/), and a
-- TRUNCATE as '*'. Every instance LISTENs and drops those pages from its cache; the notifications of a transaction
-- arrive after its commit, once per distinct payload. Triggers, not the application's write paths, so that no write
-- is missed: backfills, sweepers and an operator's SQL included.

CREATE FUNCTION simple_page_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'version_files' THEN
        IF TG_OP <> 'INSERT' THEN
            PERFORM pg_notify('simple_pages', OLD.prefix || '/' || OLD.distribution);
        END IF;
        IF TG_OP <> 'DELETE' THEN
            PERFORM pg_notify('simple_pages', NEW.prefix || '/' || NEW.distribution);
        END IF;
    ELSIF TG_TABLE_NAME = 'provider_versions' THEN
        -- a deleted version takes its version_files row with it (ON DELETE CASCADE), which announces the page
        PERFORM pg_notify('simple_pages', f.prefix || '/' || f.distribution)
        FROM version_files f WHERE f.version_id = NEW.id;
    ELSE
        PERFORM pg_notify('simple_pages', pages.page)
        FROM (SELECT DISTINCT f.prefix || '/' || f.distribution AS page
              FROM version_files f JOIN provider_versions v ON v.id = f.version_id
              WHERE v.provider_id = NEW.id) pages;
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION simple_pages_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('simple_pages', '*');
    RETURN NULL;
END
$$;

CREATE TRIGGER version_files_page_changed AFTER INSERT OR DELETE ON version_files
    FOR EACH ROW EXECUTE FUNCTION simple_page_changed();
-- not retry_at (the backfill job's claims) nor core_metadata itself (its digest is what the page shows)
CREATE TRIGGER version_files_page_updated AFTER UPDATE ON version_files
    FOR EACH ROW WHEN ((OLD.prefix, OLD.distribution, OLD.wheel_filename, OLD.core_metadata_sha256, OLD.requires_python)
                       IS DISTINCT FROM
                       (NEW.prefix, NEW.distribution, NEW.wheel_filename, NEW.core_metadata_sha256, NEW.requires_python))
    EXECUTE FUNCTION simple_page_changed();
CREATE TRIGGER provider_versions_page_updated AFTER UPDATE ON provider_versions
    FOR EACH ROW WHEN ((OLD.status, OLD.yanked_reason, OLD.wheel_url, OLD.wheel_sha256, OLD.storage_backend,
                        OLD.precedence_key, OLD.provider_id)
                       IS DISTINCT FROM
                       (NEW.status, NEW.yanked_reason, NEW.wheel_url, NEW.wheel_sha256, NEW.storage_backend,
                        NEW.precedence_key, NEW.provider_id))
    EXECUTE FUNCTION simple_page_changed();
-- visibility: scope and soft deletion (the owner's views are never cached)
CREATE TRIGGER providers_page_updated AFTER UPDATE ON providers
    FOR EACH ROW WHEN ((OLD.scope, OLD.deleted_at, OLD.prefix) IS DISTINCT FROM (NEW.scope, NEW.deleted_at, NEW.prefix))
    EXECUTE FUNCTION simple_page_changed();

CREATE TRIGGER version_files_truncated AFTER TRUNCATE ON version_files
    FOR EACH STATEMENT EXECUTE FUNCTION simple_pages_truncated();
CREATE TRIGGER provider_versions_truncated AFTER TRUNCATE ON provider_versions
    FOR EACH STATEMENT EXECUTE FUNCTION simple_pages_truncated();
CREATE TRIGGER providers_truncated AFTER TRUNCATE ON providers
    FOR EACH STATEMENT EXECUTE FUNCTION simple_pages_truncated();
