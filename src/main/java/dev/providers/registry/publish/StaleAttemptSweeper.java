package dev.providers.registry.publish;

import dev.providers.registry.catalog.ProviderVersionMapper;
import dev.providers.registry.config.RegistryConfig;
import dev.providers.registry.db.DatabaseDeadline;
import dev.providers.registry.persistence.ProviderVersionRepository;
import dev.providers.registry.persistence.Timestamps;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * A version never stays {@code building} for good: attempts whose lease lapsed (a crash, a lost database, a
 * shutdown mid-fetch) are turned {@code failed} at start-up (beside it, not before readiness) and every
 * {@code registry.publish.sweep-interval}.
 * Reads already report them as failed in between, which matters on hosts that scale to zero and run no timers.
 */
@ApplicationScoped
@DatabaseDeadline
public class StaleAttemptSweeper {

    private static final Logger LOG = Logger.getLogger(StaleAttemptSweeper.class);

    private final ProviderVersionRepository versions;
    private final MeterRegistry metrics;
    private long timer = -1;

    public StaleAttemptSweeper(ProviderVersionRepository versions, MeterRegistry metrics) {
        this.versions = versions;
        this.metrics = metrics;
    }

    void onStart(@Observes StartupEvent event, RegistryConfig config, Vertx vertx, StaleAttemptSweeper self) {
        if (config.publish().leaseMargin().isNegative()
                || config.publish().leaseMargin().isZero()) {
            throw new IllegalStateException("registry.publish.lease-margin must be positive: the lease of a publish is "
                    + "registry.fetch.deadline plus this margin, so the fetch deadline always fits inside it");
        }
        // The first sweep runs on a worker thread beside the rest of the start-up instead of before it: readiness does
        // not wait for a transaction that changes nothing a request can see (reads already report a lapsed attempt as
        // failed, and a publish takes a lapsed attempt over).
        vertx.executeBlocking(() -> runOnce(self), false);
        long interval = config.publish().sweepInterval().toMillis();
        timer = vertx.setPeriodic(interval, interval, id -> vertx.executeBlocking(() -> runOnce(self), false));
    }

    void onStop(@Observes ShutdownEvent event, Vertx vertx) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private static Integer runOnce(StaleAttemptSweeper self) {
        try {
            return VertxContextSupport.subscribeAndAwait(self::sweep);
        } catch (Throwable e) {
            LOG.warnf("Sweeping lapsed publish attempts failed (retried at the next interval): %s", e.toString());
            return 0;
        }
    }

    @WithTransaction
    public Uni<Integer> sweep() {
        Instant now = Timestamps.now();
        return versions.dropRateWindowsBefore(now.minus(Duration.ofDays(1)))
                .flatMap(dropped -> versions.sweepLapsed(ProviderVersionMapper.INTERRUPTED, now))
                .invoke(count -> {
                    if (count > 0) {
                        LOG.infof("Marked %d lapsed publish attempt(s) failed", count);
                        metrics.counter("registry.sweeper.failed.attempts").increment(count);
                    }
                });
    }
}
