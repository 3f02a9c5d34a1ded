package dev.providers.registry.publish;

import dev.providers.registry.auth.Caller;
import dev.providers.registry.catalog.ProviderVersionMapper;
import dev.providers.registry.config.RegistryConfig;
import dev.providers.registry.http.LogFields;
import dev.providers.registry.problem.DatabaseFailures;
import dev.providers.registry.problem.ProblemException;
import dev.providers.registry.problem.ProblemType;
import dev.providers.registry.simple.SimplePageCache;
import dev.providers.registry.storage.BlobWrite;
import dev.providers.registry.storage.StorageKind;
import dev.providers.registry.storage.WheelBlobs;
import dev.providers.registry.storage.WheelStore;
import dev.providers.registry.wheel.NotAWheelException;
import dev.providers.registry.wheel.PackageNotInWheelException;
import dev.providers.registry.wheel.WheelDigester;
import dev.providers.registry.wheel.WheelDigesters;
import dev.providers.registry.wheel.WheelInspection;
import dev.providers.registry.wheel.WheelStreamVerifier;
import dev.providers.registry.wheel.WriteStreamTee;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The upload use case ({@code POST /providers/publish}), the same chain as a URL publish with the store in place of
 * the fetch: claim (short transaction) -> stage a blob (short transaction, before the first byte) -> the wheel part
 * streamed through the digester and into the blob at once, with backpressure -> the wheel's checks -> the blob made
 * durable -> finish (one transaction: the blob promoted, the row published and referencing it) -> a redundant blob
 * (identical bytes already stored) dropped after the commit.
 *
 * <p>Any failure before the finish commits marks the attempt failed and deletes the blob. A finish whose outcome is
 * unknown (the database stopped answering during it) deletes nothing: if it committed, the blob is referenced; if
 * not, the row's lease and the staged blob's lease lapse together and the sweepers clean both.
 */
@ApplicationScoped
public class UploadService {

    private static final Logger LOG = Logger.getLogger(UploadService.class);

    private final VersionLedger ledger;
    private final WheelDigesters digesters;
    private final WheelStore store;
    private final WheelBlobs blobs;
    private final ProviderVersionMapper mapper;
    private final MeterRegistry metrics;
    private final long maxWheelBytes;
    private final Duration deadline;
    private final SimplePageCache pages;

    public UploadService(
            VersionLedger ledger,
            WheelDigesters digesters,
            WheelStore store,
            WheelBlobs blobs,
            ProviderVersionMapper mapper,
            MeterRegistry metrics,
            RegistryConfig config,
            SimplePageCache pages) {
        this.pages = pages;
        this.ledger = ledger;
        this.digesters = digesters;
        this.store = store;
        this.blobs = blobs;
        this.mapper = mapper;
        this.metrics = metrics;
        this.maxWheelBytes = config.storage().maxWheelSize().asLongValue();
        this.deadline = config.storage().uploadDeadline();
    }

    /** The largest wheel an upload may carry ({@code registry.storage.max-wheel-size}). */
    public long maxWheelBytes() {
        return maxWheelBytes;
    }

    /**
     * Publishes the wheel that {@code wheel} streams (paused; resumed once the claim and the staging are done).
     *
     * @param declaredLength the request's Content-Length (an upper bound of the wheel's size), or -1
     * @return fails with a {@link ProblemException}, or with {@link ClientGone} when the client disconnected
     */
    public Uni<PublishOutcome> publish(
            PublishCommand command, Caller caller, ReadStream<Buffer> wheel, long declaredLength) {
        MDC.put(LogFields.PROVIDER, command.canonical());
        MDC.put(LogFields.VERSION, command.version().text());
        long started = System.nanoTime();
        return ledger.claim(command, caller, PublishRoute.UPLOAD)
                .onFailure(ProblemException.class)
                .invoke(refused -> outcome(((ProblemException) refused).type().slug()))
                .flatMap(claim -> upload(command, caller, (Claim.Attempt) claim, wheel, declaredLength))
                .invoke(outcome -> LOG.infof(
                        "published %s %s by upload (sha256 %s) in %d ms",
                        command.canonical(),
                        command.version().text(),
                        outcome.version().wheelSha256(),
                        (System.nanoTime() - started) / 1_000_000));
    }

    private Uni<PublishOutcome> upload(
            PublishCommand command,
            Caller caller,
            Claim.Attempt attempt,
            ReadStream<Buffer> wheel,
            long declaredLength) {
        // From here on every failure, an Error included (out of memory), fails the attempt and is answered: the row
        // claimed above must not wait for its lease, nor the client for an answer.
        StorageKind backend = store.kind();
        BlobWrite blob;
        try {
            blob = store.create();
        } catch (Throwable e) {
            return cleanUp(command, caller, attempt, null, null, new StoreFailure(backend, e));
        }
        WheelDigester digester;
        try {
            digester = digesters.open(Long.MAX_VALUE); // the size limit is counted here, answered 413
            digester.expectAtMost(declaredLength);
        } catch (Throwable e) {
            return cleanUp(command, caller, attempt, null, blob, e);
        }
        return blobs.stage(backend, blob.key(), attempt.leaseUntil())
                .flatMap(staged -> transfer(wheel, digester, blob))
                .flatMap(size -> Uni.createFrom().completionStage(digester.end().toCompletionStage()))
                .map(ended -> check(command, attempt, digester))
                .call(inspected -> Uni.createFrom()
                        .completionStage(() -> blob.end().toCompletionStage())
                        .onFailure()
                        .transform(cause -> new StoreFailure(backend, cause)))
                .onFailure()
                .recoverWithUni(failure -> cleanUp(command, caller, attempt, digester, blob, failure))
                .flatMap(wheelChecked -> pages.afterWrite(
                                command.prefix(),
                                ledger.finishHosted(attempt, command, wheelChecked, backend, blob.key(), caller))
                        .onFailure()
                        .recoverWithUni(failure -> DatabaseFailures.isUnavailable(failure)
                                ? leaveToLeases(command, caller, attempt, failure)
                                : cleanUp(command, caller, attempt, null, blob, failure)))
                .call(done -> done.blob().redundant()
                        ? blobs.discard(backend, blob.key())
                                .onFailure()
                                .invoke(f -> LOG.warnf(
                                        "could not delete the redundant blob %s (the sweeper will): %s",
                                        blob.key(), f.toString()))
                                .onFailure()
                                .recoverWithNull()
                        : Uni.createFrom().voidItem())
                .map(done -> {
                    outcome("published");
                    return new PublishOutcome(true, mapper.toApi(done.row()));
                });
    }

    /**
     * Pipes the wheel part into the digester and the blob at once: the part is paused while either is behind and
     * resumed when both have caught up; the count stops the part the moment it passes the size limit.
     *
     * @return the number of bytes received
     */
    private Uni<Long> transfer(ReadStream<Buffer> wheel, WheelDigester digester, BlobWrite blob) {
        Uni<Long> piped = Uni.createFrom().emitter(emitter -> {
            WriteStreamTee tee = new WriteStreamTee(digester, blob, cause -> new StoreFailure(store.kind(), cause));
            long[] count = {0};
            boolean[] done = {false};
            java.util.function.Consumer<Throwable> fail = failure -> {
                if (!done[0]) {
                    done[0] = true;
                    wheel.pause();
                    emitter.fail(failure);
                }
            };
            tee.exceptionHandler(fail::accept);
            tee.drainHandler(v -> {
                if (!done[0]) {
                    wheel.resume();
                }
            });
            wheel.exceptionHandler(fail::accept);
            wheel.endHandler(v -> {
                if (!done[0]) {
                    done[0] = true;
                    emitter.complete(count[0]);
                }
            });
            wheel.handler(chunk -> {
                if (done[0]) {
                    return;
                }
                count[0] += chunk.length();
                if (count[0] > maxWheelBytes) {
                    fail.accept(new ProblemException(
                            ProblemType.PAYLOAD_TOO_LARGE,
                            "the wheel exceeds the " + maxWheelBytes
                                    + "-byte limit (registry.storage.max-wheel-size)"));
                    return;
                }
                try {
                    tee.write(chunk).onFailure(fail::accept);
                    if (tee.writeQueueFull()) {
                        wheel.pause();
                    }
                } catch (Throwable e) { // thrown here it would reach the request's handler and end nowhere
                    fail.accept(e);
                }
            });
            wheel.resume();
        });
        // The deadline's failure says who was slow: the store (the part paused for it) or the client.
        return piped.ifNoItem()
                .after(deadline)
                .failWith(() -> blob.writeQueueFull()
                        ? new ProblemException(
                                ProblemType.STORAGE_UNAVAILABLE,
                                "the wheel store did not take the wheel within the upload deadline ("
                                        + deadline.toSeconds() + " s); retry later",
                                null,
                                Map.of("Retry-After", "5"))
                        : new ProblemException(
                                ProblemType.UPLOAD_TIMEOUT,
                                "the upload did not complete within " + deadline.toSeconds()
                                        + " s (registry.storage.upload-deadline)"));
    }

    private static WheelInspection check(PublishCommand command, Claim.Attempt attempt, WheelDigester digester) {
        WheelInspection wheel;
        try {
            wheel = digester.finish(
                    command.fileName().distribution(), command.version().pep440(), command.packageName());
        } catch (NotAWheelException e) {
            throw new ProblemException(ProblemType.NOT_A_WHEEL, e.getMessage());
        } catch (PackageNotInWheelException e) {
            throw ProblemException.validation("package_name", e.getMessage());
        }
        if (command.sha256() != null && !WheelStreamVerifier.constantTimeEquals(command.sha256(), wheel.sha256Hex())) {
            throw new ProblemException(
                    ProblemType.SHA256_MISMATCH,
                    "the wheel's SHA-256 is " + wheel.sha256Hex() + ", not the expected " + command.sha256());
        }
        String reserved = attempt.requiredSha256();
        if (reserved != null && !WheelStreamVerifier.constantTimeEquals(reserved, wheel.sha256Hex())) {
            throw new ProblemException(
                    ProblemType.VERSION_IMMUTABLE,
                    command.canonical() + " "
                            + command.version().text() + " was published with another wheel before the provider was "
                            + "deleted (sha256 " + reserved + "); the number can be reused only with that wheel");
        }
        return wheel;
    }

    /**
     * After a failure before the finish committed: the digest abandoned, the blob and its staged row deleted, the
     * attempt failed with the reason (each step on its own: one that fails is logged and left to the leases), then
     * the failure answered.
     */
    private <T> Uni<T> cleanUp(
            PublishCommand command,
            Caller caller,
            Claim.Attempt attempt,
            WheelDigester digester,
            BlobWrite blob,
            Throwable failure) {
        Throwable answer = classify(failure);
        if (digester != null) {
            digester.discard();
        }
        String reason = answer instanceof ProblemException problem ? problem.detail() : ((ClientGone) answer).reason();
        logFailure(command, answer);
        Uni<Void> deleted = blob == null
                ? Uni.createFrom().voidItem()
                : blob.abort()
                        .onFailure()
                        .recoverWithNull()
                        .flatMap(aborted -> blobs.discard(store.kind(), blob.key()))
                        .onFailure()
                        .invoke(f -> LOG.warnf(
                                "could not delete the blob %s of %s %s (the sweeper will): %s",
                                blob.key(),
                                command.canonical(),
                                command.version().text(),
                                f.toString()))
                        .onFailure()
                        .recoverWithNull();
        // The blob is deleted beside the answer, not before it: a store that stopped answering must not hold the
        // client's answer too (what it cannot delete now, the sweeper deletes once the blob's lease lapsed).
        deleted.subscribe().with(done -> {}, failed -> {});
        return ledger.failQuietly(attempt, command, caller, reason)
                .flatMap(x -> Uni.createFrom().failure(answer));
    }

    /** The finish's outcome is unknown: nothing is deleted; the leases of the row and the staged blob lapse. */
    private <T> Uni<T> leaveToLeases(PublishCommand command, Caller caller, Claim.Attempt attempt, Throwable failure) {
        Throwable answer = classify(failure);
        logFailure(command, answer);
        return ledger.failQuietly(attempt, command, caller, "the database did not answer while publishing the upload")
                .flatMap(x -> Uni.createFrom().failure(answer));
    }

    private void logFailure(PublishCommand command, Throwable answer) {
        String slug =
                answer instanceof ProblemException problem ? problem.type().slug() : "client-gone";
        outcome(slug);
        LOG.infof(
                "upload of %s %s failed (%s): %s",
                command.canonical(), command.version().text(), slug, answer.getMessage());
    }

    /**
     * One classification of every failure of an upload: problems as they are; the wheel store failing (503
     * {@code storage-unavailable}, or {@code database-unavailable} for the PostgreSQL store; an {@link Error} the
     * store throws too); the JVM out of memory (503 {@code storage-unavailable}); a client that went away (no answer
     * can reach it); the database not answering (503); anything else is a bug (500, logged).
     */
    Throwable classify(Throwable failure) {
        Throwable f = failure instanceof io.smallrye.mutiny.CompositeException composite && composite.getCause() != null
                ? composite.getCause()
                : failure;
        if (f instanceof ProblemException || f instanceof ClientGone) {
            return f;
        }
        if (f instanceof StoreFailure store) {
            // The PostgreSQL store is the database: its outage is the database's. Any other store's failure is its own,
            // whatever its exception chain looks like (an S3 connection refused is not the database's).
            if (store.backend() == StorageKind.POSTGRES && databaseLost(store.getCause())) {
                return databaseUnavailable();
            }
            LOG.warnf(
                    "the %s wheel store failed during an upload: %s",
                    store.backend().column(), store.getCause());
            return storageUnavailable();
        }
        if (f instanceof dev.providers.registry.storage.BlobLeaseLapsedException) {
            return new ProblemException(
                    ProblemType.PUBLISH_IN_PROGRESS,
                    "the upload outlived its lease and was not applied; retry",
                    null,
                    Map.of("Retry-After", "1"));
        }
        if (f instanceof VirtualMachineError exhausted) {
            // Out of memory (or another resource of the JVM): not a bug of the request; a retry may well pass.
            LOG.errorf(exhausted, "an upload ran out of resources");
            return new ProblemException(
                    ProblemType.STORAGE_UNAVAILABLE,
                    "the service could not hold the upload ("
                            + exhausted.getClass().getSimpleName() + "); retry later",
                    null,
                    Map.of("Retry-After", "5"));
        }
        if (ClientGone.isDisconnect(f)) {
            return new ClientGone("the client closed the connection before the upload completed");
        }
        if (DatabaseFailures.isUnavailable(f)) {
            return databaseUnavailable();
        }
        LOG.errorf(f, "an upload failed unexpectedly");
        return new ProblemException(
                ProblemType.INTERNAL, "an unexpected error occurred during the upload; it has been logged");
    }

    /**
     * The PostgreSQL store's failure is the database's when it says so, or when its connection broke (an
     * {@code IOException} such as "Broken pipe": a chunk's INSERT written to a connection the database dropped; the
     * store's only I/O is that connection).
     */
    static boolean databaseLost(Throwable cause) {
        if (DatabaseFailures.isUnavailable(cause)) {
            return true;
        }
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }

    private static ProblemException databaseUnavailable() {
        return new ProblemException(
                ProblemType.DATABASE_UNAVAILABLE,
                "the database did not answer in time; retry later",
                null,
                Map.of("Retry-After", "5"));
    }

    private static ProblemException storageUnavailable() {
        return new ProblemException(
                ProblemType.STORAGE_UNAVAILABLE,
                "the wheel store did not accept the wheel; retry later",
                null,
                Map.of("Retry-After", "5"));
    }

    private void outcome(String outcome) {
        MDC.put(LogFields.OUTCOME, outcome);
        metrics.counter("registry.publishes", "outcome", outcome).increment();
    }
}
