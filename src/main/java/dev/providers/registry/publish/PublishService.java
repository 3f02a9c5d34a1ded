package dev.providers.registry.publish;

import dev.providers.registry.auth.Caller;
import dev.providers.registry.catalog.ProviderVersionMapper;
import dev.providers.registry.http.LogFields;
import dev.providers.registry.problem.ProblemException;
import dev.providers.registry.problem.ProblemType;
import dev.providers.registry.simple.SimplePageCache;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The publish use case, top to bottom: claim (short transaction) -> fetch and verify (no session held) ->
 * finalize (short transaction). A failed verification is recorded on the row, so its owner sees why, and then
 * answered; a later publish of the same version retries it.
 */
@ApplicationScoped
public class PublishService {

    private static final Logger LOG = Logger.getLogger(PublishService.class);

    private final VersionLedger ledger;
    private final WheelVerification verification;
    private final ProviderVersionMapper mapper;
    private final MeterRegistry metrics;
    private final SimplePageCache pages;

    public PublishService(
            VersionLedger ledger,
            WheelVerification verification,
            ProviderVersionMapper mapper,
            MeterRegistry metrics,
            SimplePageCache pages) {
        this.pages = pages;
        this.ledger = ledger;
        this.verification = verification;
        this.mapper = mapper;
        this.metrics = metrics;
    }

    public Uni<PublishOutcome> publish(PublishCommand command, Caller caller, PublishRoute route) {
        // On the request's context: every log line of this publish carries these (and the request id).
        MDC.put(LogFields.PROVIDER, command.canonical());
        MDC.put(LogFields.VERSION, command.version().text());
        long started = System.nanoTime();
        long[] phases = new long[2]; // when the claim committed, when the wheel was verified
        return ledger.claim(command, caller, route)
                .onFailure(ProblemException.class)
                .invoke(refused -> refused(command, refused))
                .invoke(() -> phases[0] = System.nanoTime())
                .flatMap(claim -> {
                    if (claim instanceof Claim.AlreadyPublished already) {
                        outcome("identical");
                        LOG.infof(
                                "publish of %s %s: identical to the published version",
                                command.canonical(), command.version().text());
                        return Uni.createFrom().item(new PublishOutcome(false, mapper.toApi(already.row())));
                    }
                    Claim.Attempt attempt = (Claim.Attempt) claim;
                    return verification
                            .verify(command, attempt.requiredSha256())
                            .invoke(verified -> {
                                phases[1] = System.nanoTime();
                                MDC.put(
                                        LogFields.WHEEL_ADDRESS,
                                        verified.fetch().address());
                            })
                            .onFailure()
                            .recoverWithUni(failure -> recordFailure(
                                    command,
                                    caller,
                                    attempt,
                                    failure instanceof VerificationFailure known
                                            ? known
                                            : new VerificationFailure(failure, null)))
                            .flatMap(verified -> pages.afterWrite(
                                            command.prefix(), ledger.finish(attempt, command, verified.wheel(), caller))
                                    .onFailure(ProblemException.class)
                                    .invoke(refused -> refused(command, refused))
                                    .map(row -> {
                                        outcome("published");
                                        long end = System.nanoTime();
                                        LOG.infof(
                                                "published %s %s from %s via %s (sha256 %s) in %d ms: claim %d, "
                                                        + "fetch and verify %d, finalize %d",
                                                command.canonical(),
                                                row.version,
                                                row.wheelUrl,
                                                verified.fetch().address(),
                                                row.wheelSha256,
                                                millis(end - started),
                                                millis(phases[0] - started),
                                                millis(phases[1] - phases[0]),
                                                millis(end - phases[1]));
                                        return new PublishOutcome(true, mapper.toApi(row));
                                    }));
                });
    }

    /** A publish refused by the ledger (before the fetch: 409, 403, ...; or when finalizing). */
    private void refused(PublishCommand command, Throwable refusal) {
        String slug = ((ProblemException) refusal).type().slug();
        outcome(slug);
        LOG.infof(
                "publish of %s %s refused: %s",
                command.canonical(), command.version().text(), slug);
    }

    /** Marks the attempt failed with the reason, then answers the original failure. */
    private <T> Uni<T> recordFailure(
            PublishCommand command, Caller caller, Claim.Attempt attempt, VerificationFailure verification) {
        Throwable failure = verification.reason();
        String reason = failure instanceof ProblemException problem
                ? problem.detail()
                : "internal error while verifying the wheel";
        if (verification.address() != null) {
            MDC.put(LogFields.WHEEL_ADDRESS, verification.address());
        }
        String address = verification.address() == null ? "before connecting" : "from " + verification.address();
        if (!(failure instanceof ProblemException problem)) {
            MDC.put(LogFields.OUTCOME, "internal-error");
            LOG.errorf(
                    failure,
                    "verifying %s %s (%s) failed unexpectedly",
                    command.canonical(),
                    command.version().text(),
                    address);
        } else {
            MDC.put(LogFields.OUTCOME, problem.type().slug());
            LOG.infof(
                    "publish of %s %s failed (%s, %s): %s",
                    command.canonical(),
                    command.version().text(),
                    problem.type().slug(),
                    address,
                    reason);
        }
        // A failure of the fetch side is answered as such: an unexpected one (a bug) as 500, never as a
        // database failure because it happens to be a timeout or a refused connection of the wheel server.
        ProblemException answer = failure instanceof ProblemException problem
                ? problem
                : new ProblemException(
                        ProblemType.INTERNAL,
                        "an unexpected error occurred while verifying the wheel; " + "it has been logged");
        count(answer.type().slug());
        return ledger.failQuietly(attempt, command, caller, reason)
                .flatMap(x -> Uni.createFrom().failure(answer));
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    /** Records the outcome on the log context and in the counter. */
    private void outcome(String outcome) {
        MDC.put(LogFields.OUTCOME, outcome);
        count(outcome);
    }

    private void count(String outcome) {
        metrics.counter("registry.publishes", "outcome", outcome).increment();
    }
}
