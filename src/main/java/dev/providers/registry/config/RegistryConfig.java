package dev.providers.registry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Every {@code registry.*} key, typed, with its default. */
@ConfigMapping(prefix = "registry")
public interface RegistryConfig {

    Auth auth();

    Fetch fetch();

    Publish publish();

    Runtime runtime();

    @WithName("embedded-db")
    EmbeddedDb embeddedDb();

    Cors cors();

    Db db();

    Storage storage();

    /**
     * The registry's public base URL (e.g. {@code https://registry.example.com}): hosted wheels' download URLs are
     * built on it. Unset: from the request (its scheme and host, forwarded ones when proxy forwarding is on).
     */
    Optional<String> publicUrl();

    Simple simple();

    interface Auth {
        @WithDefault("org_slug")
        String orgSlugClaim();

        @WithDefault("org_id")
        String orgIdClaim();

        @WithDefault("org_name")
        String orgNameClaim();

        @WithDefault("platform-publisher")
        String publisherGroup();

        @WithDefault("platform,pragmatiks")
        List<String> reservedPrefixes();
    }

    interface Fetch {
        /** CIDRs or host names exempted from the address guard. */
        Optional<List<String>> allow();

        @WithDefault("256M")
        io.quarkus.runtime.configuration.MemorySize maxWheelSize();

        @WithDefault("8M")
        io.quarkus.runtime.configuration.MemorySize maxCentralDirectory();

        @WithDefault("10s")
        Duration connectTimeout();

        @WithDefault("20s")
        Duration idleTimeout();

        @WithDefault("5m")
        Duration deadline();

        @WithDefault("5")
        int maxRedirects();

        /**
         * Wheels whose declared Content-Length is above this are hashed on a pool thread, overlapping the event
         * loop's TLS decryption; smaller ones (and bodies without a length) are hashed inline, without a thread hop.
         */
        @WithDefault("8M")
        io.quarkus.runtime.configuration.MemorySize offloadHashingAbove();

        /** PEM files trusted in addition to the JVM's trust store. */
        Optional<List<String>> extraCaCerts();

        OptionalInt maxConcurrentPerOrg();
    }

    /**
     * The simple index (PEP 503/691/658): the job that captures METADATA of versions published before it, and the
     * cache of public project pages.
     */
    interface Simple {
        /** How often the backfill job looks for versions without captured METADATA (also its first delay). */
        @WithDefault("10m")
        Duration backfillInterval();

        /** Versions fetched per run, one after the other. */
        @WithDefault("10")
        int backfillBatch();

        /** A version whose wheel could not be fetched is tried again after this long. */
        @WithDefault("1h")
        Duration backfillRetryAfter();

        Cache cache();

        /**
         * The anonymous (public) view of project pages, rendered once and kept in memory; every change is announced
         * by PostgreSQL (LISTEN/NOTIFY) to every instance, which drops the page. Owners' views are never cached.
         */
        interface Cache {
            @WithDefault("true")
            boolean enabled();

            /**
             * The rendered bytes kept at most (the least recently read pages leave first); unset: a tenth of the
             * maximum heap.
             */
            Optional<io.quarkus.runtime.configuration.MemorySize> maxBytes();

            /** Pages kept at most, answers that a project does not exist included. */
            @WithDefault("20000")
            int maxEntries();

            /**
             * How often the listening connection is checked with a query on it; when it is closed, or does not answer
             * within this long, the cache is emptied and bypassed until the connection listens again.
             */
            @WithDefault("5s")
            Duration livenessInterval();
        }
    }

    interface Publish {
        @WithDefault("1m")
        Duration sweepInterval();

        /** Added to the fetch deadline to give the lease of a claimed version. */
        @WithDefault("30s")
        Duration leaseMargin();

        Optional<String> rateLimit();
    }

    interface Runtime {
        Optional<String> bootstrapVersion();

        Optional<String> bootstrapImage();
    }

    /**
     * How long the service waits for PostgreSQL before it answers 503 {@code database-unavailable}: a database
     * that refuses connections, or one that accepts them and never answers, never holds a request for longer.
     */
    interface Db {
        /** TCP connect timeout of a new database connection. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** Longest wait for a pooled connection, including opening a new one (handshake and authentication). */
        @WithDefault("5s")
        Duration acquireTimeout();

        /** Deadline of every unit of database work (a transaction or a read session), end to end. */
        @WithDefault("10s")
        Duration operationDeadline();

        /** Deadline of the readiness check's {@code SELECT 1}. */
        @WithDefault("2s")
        Duration healthTimeout();
    }

    interface EmbeddedDb {
        @WithDefault("false")
        boolean enabled();

        @WithDefault("data/postgres")
        String dataDir();
    }

    interface Cors {
        /**
         * Origins (e.g. {@code https://catalog.example.com}, or {@code *}) whose browsers may read the public
         * {@code GET} endpoints. None by default: no CORS headers at all.
         */
        Optional<List<String>> origins();
    }

    /** Hosted wheels (POST /providers/publish): the wheel store and its limits. */
    interface Storage {
        /** postgres (the default: the wheel in chunks in the registry's database) or s3. */
        @WithDefault("postgres")
        dev.providers.registry.storage.StorageKind kind();

        /** Largest wheel accepted by upload: a larger Content-Length is refused before reading (413). */
        @WithDefault("256M")
        io.quarkus.runtime.configuration.MemorySize maxWheelSize();

        /** How long an upload may take, from its claim to its last byte; with the lease margin, its lease. */
        @WithDefault("5m")
        Duration uploadDeadline();

        Postgres postgres();

        S3 s3();

        Cache cache();

        /**
         * The node-local copy of downloaded wheels (files are content-addressed and immutable): served with
         * sendfile instead of streaming from the store.
         */
        interface Cache {
            @WithDefault("true")
            boolean enabled();

            /**
             * A directory this instance owns: emptied at start-up (everything in it is deleted). Unset: a fresh
             * temporary directory, deleted at shutdown.
             */
            Optional<String> directory();

            /** Total bytes of cached files; the least recently read leave first. Larger files are never cached. */
            @WithDefault("1G")
            io.quarkus.runtime.configuration.MemorySize maxSize();
        }

        interface Postgres {
            /** Bytes per row of wheel_chunks. */
            @WithDefault("1M")
            io.quarkus.runtime.configuration.MemorySize chunkSize();
        }

        interface S3 {
            /** e.g. https://s3.eu-west-1.amazonaws.com, or an S3-compatible server; unset: the AWS default. */
            Optional<String> endpoint();

            @WithDefault("provider-wheels")
            String bucket();

            @WithDefault("us-east-1")
            String region();

            /** Path-style addressing (most S3-compatible servers need it). */
            @WithDefault("false")
            boolean pathStyle();

            /** Static credentials; unset: the AWS default credential chain (environment, web identity, ...). */
            Optional<String> accessKeyId();

            Optional<String> secretAccessKey();

            /** Key prefix of every blob. */
            @WithDefault("wheels/")
            String keyPrefix();

            /** Multipart upload above this size, in parts of this size (S3's minimum is 5 MiB). */
            @WithDefault("8M")
            io.quarkus.runtime.configuration.MemorySize partSize();
        }
    }
}
