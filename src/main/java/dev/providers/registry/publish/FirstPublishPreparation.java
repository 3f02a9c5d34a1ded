package dev.providers.registry.publish;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.providers.registry.auth.VerificationKeyPreload;
import dev.providers.registry.catalog.ProviderVersion;
import dev.providers.registry.fetch.WheelFetcher;
import io.quarkus.arc.ClientProxy;
import io.quarkus.runtime.ImageMode;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

/**
 * Right after start-up, on a worker thread and without holding readiness, does what the first publish of a fresh
 * process would otherwise pay once on its own path: loads the token verification key, reads the fetch trust anchors
 * ({@code registry.fetch.extra-ca-certs}) and sets up TLS, creates the publish beans (their metrics included) and the
 * answer's JSON serializer, and runs the claim's queries once ({@link VersionLedger#prepareClaim}). In the native
 * executable it then collects the start-up garbage ({@link #collectStartUpGarbage}).
 * A scaled-to-zero instance is started by the request that waits for it; that request then finds this done, or
 * under way on the other core (bench/README.md "Native executable").
 */
@ApplicationScoped
public class FirstPublishPreparation {

    private static final Logger LOG = Logger.getLogger(FirstPublishPreparation.class);

    void onStart(
            @Observes StartupEvent event,
            Vertx vertx,
            VerificationKeyPreload verificationKey,
            WheelFetcher fetcher,
            PublishService publishes,
            VersionLedger ledger,
            Instance<ObjectMapper> json) { // a singleton, not a proxy: resolved on the worker, not before readiness
        vertx.executeBlocking(
                () -> {
                    prepare(verificationKey, fetcher, publishes, ledger, json);
                    return null;
                },
                false);
    }

    private static void prepare(
            VerificationKeyPreload verificationKey,
            WheelFetcher fetcher,
            PublishService publishes,
            VersionLedger ledger,
            Instance<ObjectMapper> json) {
        try {
            long started = System.nanoTime();
            verificationKey.preload();
            long key = System.nanoTime();
            fetcher.prepareTls();
            long tls = System.nanoTime();
            ClientProxy.unwrap(publishes);
            json.get().writerFor(ProviderVersion.class); // builds and caches the serializer of the answer
            long beans = System.nanoTime();
            VertxContextSupport.subscribeAndAwait(ledger::prepareClaim);
            long claim = System.nanoTime();
            collectStartUpGarbage();
            long end = System.nanoTime();
            LOG.debugf(
                    "prepared the first publish in %d us: verification key %d, fetch TLS %d, beans and serializer %d, "
                            + "claim queries %d, start-up garbage %d",
                    (end - started) / 1000,
                    (key - started) / 1000,
                    (tls - key) / 1000,
                    (beans - tls) / 1000,
                    (claim - beans) / 1000,
                    (end - claim) / 1000);
        } catch (Throwable e) {
            // The first publish does the same work and reports what fails (e.g. unreadable extra CA certificates).
            LOG.warnf("Preparing the first publish failed (the first publish will try again): %s", e.toString());
        }
    }

    /**
     * The native executable's serial GC makes the first collection of a process a full one (measured: 48 -> 14 MiB,
     * 9-15 ms). Left to itself it comes inside the first publish that allocates, which for a large wheel is its
     * fetch; run here, it collects what start-up left (25 -> 4 MiB, 12-15 ms) before that publish, on an instance
     * that has just become ready (bench/README.md, issue 11 sixth pass). Only measured in the native executable, so
     * the JVM is left to its own collector.
     */
    private static void collectStartUpGarbage() {
        if (ImageMode.current() == ImageMode.NATIVE_RUN) {
            System.gc();
        }
    }
}
