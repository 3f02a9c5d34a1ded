package dev.providers.registry.simple;

import dev.providers.registry.config.RegistryConfig;
import dev.providers.registry.fetch.WheelFetcher;
import dev.providers.registry.identity.WheelUrl;
import dev.providers.registry.persistence.VersionStatus;
import dev.providers.registry.wheel.CoreMetadata;
import dev.providers.registry.wheel.NotAWheelException;
import dev.providers.registry.wheel.PackageNotInWheelException;
import dev.providers.registry.wheel.ProjectName;
import dev.providers.registry.wheel.WheelDigester;
import dev.providers.registry.wheel.WheelDigesters;
import dev.providers.registry.wheel.WheelFileName;
import dev.providers.registry.wheel.WheelInspection;
import dev.providers.registry.wheel.WheelStreamVerifier;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Versions published before the simple index existed have no captured METADATA ({@code core_metadata_state =
 * 'pending'}). This job streams each such wheel once, through the same guarded fetch and digester as a publish, and
 * stores its METADATA, Requires-Python, file name and project, but only when the bytes still have the digest recorded
 * at publish: otherwise the version is marked {@code absent} (pip then downloads the wheel, and refuses it). A wheel
 * that cannot be fetched now is tried again after {@code registry.simple.backfill-retry-after}. Rows are claimed by
 * moving their retry time forward ({@code FOR UPDATE SKIP LOCKED}), so that instances share the work. Runs every
 * {@code registry.simple.backfill-interval}, at most one run at a time per instance. Until a version is done its files
 * are listed without core metadata.
 */
@ApplicationScoped
public class CoreMetadataBackfill {

    private static final Logger LOG = Logger.getLogger(CoreMetadataBackfill.class);

    private static final String CLAIM = "UPDATE version_files c SET retry_at = $2 FROM provider_versions v "
            + "WHERE v.id = c.version_id AND c.version_id IN (SELECT f.version_id FROM version_files f "
            + "JOIN provider_versions v ON v.id = f.version_id WHERE f.core_metadata_state = 'pending' "
            + "AND v.status IN " + VersionStatus.PUBLIC_SQL + " AND NOT (" + SimpleQueries.HOSTED_SQL + ") "
            + "AND (f.retry_at IS NULL OR f.retry_at <= now()) "
            + "ORDER BY f.retry_at NULLS FIRST, f.version_id LIMIT $1 FOR UPDATE OF f SKIP LOCKED) "
            + "RETURNING v.id, v.prefix, v.wheel_url, v.wheel_sha256, v.pep440";

    private static final String STORE = "UPDATE version_files SET wheel_filename = $2, distribution = $3, "
            + "core_metadata = $4, core_metadata_sha256 = $5, requires_python = $6, core_metadata_state = $7, "
            + "retry_at = NULL WHERE version_id = $1 AND core_metadata_state = 'pending'";

    private final Pool pool;
    private final WheelFetcher fetcher;
    private final WheelDigesters digesters;
    private final RegistryConfig.Simple config;
    private final SimplePageCache pages;
    private final AtomicBoolean running = new AtomicBoolean();
    private long timer = -1;

    public CoreMetadataBackfill(
            Pool pool, WheelFetcher fetcher, WheelDigesters digesters, RegistryConfig config, SimplePageCache pages) {
        this.pool = pool;
        this.pages = pages;
        this.fetcher = fetcher;
        this.digesters = digesters;
        this.config = config.simple();
    }

    void onStart(@Observes StartupEvent event, Vertx vertx) {
        long interval = config.backfillInterval().toMillis();
        timer = vertx.setPeriodic(
                interval,
                interval,
                id -> runOnce()
                        .subscribe()
                        .with(
                                count -> {},
                                failure -> LOG.warnf(
                                        "METADATA backfill failed (retried at the next interval): %s",
                                        failure.toString())));
    }

    void onStop(@Observes ShutdownEvent event, Vertx vertx) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** One run: claims up to a batch of versions and backfills them one after the other; the number claimed. */
    public Uni<Integer> runOnce() {
        if (!running.compareAndSet(false, true)) {
            return Uni.createFrom().item(0);
        }
        OffsetDateTime retryAt = OffsetDateTime.now(ZoneOffset.UTC).plus(config.backfillRetryAfter());
        return pool.withConnection(c -> c.preparedQuery(CLAIM).execute(Tuple.of(config.backfillBatch(), retryAt)))
                .flatMap(rows -> {
                    List<Pending> pending = new ArrayList<>();
                    for (Row row : rows) {
                        pending.add(new Pending(
                                row.getLong("id"),
                                row.getString("prefix"),
                                row.getString("wheel_url"),
                                row.getString("wheel_sha256"),
                                row.getString("pep440")));
                    }
                    return Multi.createFrom()
                            .iterable(pending)
                            .onItem()
                            .transformToUniAndConcatenate(this::backfill)
                            .collect()
                            .last()
                            .replaceWith(pending.size());
                })
                .eventually(() -> running.set(false));
    }

    private Uni<Void> backfill(Pending row) {
        WheelUrl url;
        WheelFileName fileName;
        try {
            url = WheelUrl.normalize(row.wheelUrl());
            fileName = WheelFileName.parse(url.fileName());
        } catch (IllegalArgumentException | dev.providers.registry.problem.ProblemException e) {
            LOG.warnf("METADATA backfill: version %d has no usable wheel URL (%s)", row.id(), e.getMessage());
            return Uni.createFrom().voidItem();
        }
        WheelDigester digester = digesters.open().afterHashing(WheelFetcher::giveBack);
        return fetcher.fetch(url, digester, digester::expectLength)
                .onTermination()
                .invoke((fetched, failure, cancelled) -> {
                    if (failure != null || cancelled) {
                        digester.discard();
                    }
                })
                .flatMap(fetched -> {
                    WheelInspection wheel = inspect(digester, fileName, row.pep440());
                    if (wheel == null || !WheelStreamVerifier.constantTimeEquals(wheel.sha256Hex(), row.sha256())) {
                        LOG.warnf(
                                "METADATA backfill: the wheel of version %d at %s no longer has its recorded sha256 %s;"
                                        + " it is listed without core metadata",
                                row.id(), row.wheelUrl(), row.sha256());
                        return pages.afterWrite(row.prefix(), store(row.id(), fileName, null));
                    }
                    return pages.afterWrite(row.prefix(), store(row.id(), fileName, wheel.coreMetadata()));
                })
                .onFailure()
                .recoverWithUni(failure -> {
                    LOG.infof(
                            "METADATA backfill: version %d not fetched (%s); tried again in %s",
                            row.id(), failure.toString(), config.backfillRetryAfter());
                    return Uni.createFrom().voidItem();
                });
    }

    private static WheelInspection inspect(WheelDigester digester, WheelFileName fileName, String pep440) {
        try {
            return digester.finish(fileName.distribution(), pep440, null);
        } catch (NotAWheelException | PackageNotInWheelException e) {
            return null;
        }
    }

    private Uni<Void> store(long id, WheelFileName fileName, CoreMetadata metadata) {
        List<Object> values = Arrays.asList(
                id,
                fileName.toString(),
                ProjectName.normalize(fileName.distribution()),
                metadata == null ? null : Buffer.buffer(metadata.bytes()),
                metadata == null ? null : metadata.sha256Hex(),
                metadata == null ? null : metadata.requiresPython(),
                metadata == null ? "absent" : "captured");
        return pool.withConnection(c -> c.preparedQuery(STORE).execute(Tuple.tuple(values)))
                .replaceWithVoid();
    }

    private record Pending(long id, String prefix, String wheelUrl, String sha256, String pep440) {}
}
