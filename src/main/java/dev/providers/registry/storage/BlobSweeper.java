package dev.providers.registry.storage;

import dev.providers.registry.config.RegistryConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Runs {@link WheelBlobs#sweep} every {@code registry.publish.sweep-interval} (the interval of the publish sweeper,
 * publish/StaleAttemptSweeper), one run at a time. Nothing blocks: the sweep is reactive from the timer on.
 */
@ApplicationScoped
public class BlobSweeper {

    private static final Logger LOG = Logger.getLogger(BlobSweeper.class);

    private final WheelBlobs blobs;
    private final MeterRegistry metrics;
    private final AtomicBoolean running = new AtomicBoolean();
    private long timer = -1;

    public BlobSweeper(WheelBlobs blobs, MeterRegistry metrics) {
        this.blobs = blobs;
        this.metrics = metrics;
    }

    void onStart(@Observes StartupEvent event, RegistryConfig config, Vertx vertx) {
        long interval = config.publish().sweepInterval().toMillis();
        timer = vertx.setPeriodic(interval, interval, id -> runOnce());
    }

    void onStop(@Observes ShutdownEvent event, Vertx vertx) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    void runOnce() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        blobs.sweep()
                .onTermination()
                .invoke(() -> running.set(false))
                .subscribe()
                .with(
                        swept -> {
                            if (swept.stagedBlobs() > 0 || swept.orphanChunks() > 0) {
                                LOG.infof(
                                        "Deleted %d abandoned upload blob(s) and %d orphan chunk(s)",
                                        swept.stagedBlobs(), swept.orphanChunks());
                                metrics.counter("registry.sweeper.abandoned.blobs")
                                        .increment(swept.stagedBlobs());
                            }
                        },
                        failure -> LOG.warnf(
                                "Sweeping abandoned upload blobs failed (retried at the next interval): %s",
                                failure.toString()));
    }
}
