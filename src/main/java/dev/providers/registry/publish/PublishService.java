package dev.providers.registry.publish;

import dev.providers.registry.auth.Caller;
import dev.providers.registry.catalog.ProviderVersionMapper;
import dev.providers.registry.problem.ProblemException;
import dev.providers.registry.problem.ProblemType;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

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

    public PublishService(VersionLedger ledger, WheelVerification verification, ProviderVersionMapper mapper,
            MeterRegistry metrics) {
        this.ledger = ledger;
        this.verification = verification;
        this.mapper = mapper;
        this.metrics = metrics;
    }

    public Uni<PublishOutcome> publish(PublishCommand command, Caller caller, PublishRoute route) {
        return ledger.claim(command, caller, route)
                .flatMap(claim -> {
                    if (claim instanceof Claim.AlreadyPublished already) {
                        count("identical");
                        return Uni.createFrom().item(new PublishOutcome(false, mapper.toApi(already.row())));
                    }
                    Claim.Attempt attempt = (Claim.Attempt) claim;
                    return verification.verify(command, attempt.requiredSha256())
                            .onFailure().recoverWithUni(failure -> recordFailure(command, caller, attempt, failure))
                            .flatMap(wheel -> ledger.publish(attempt, command, wheel, caller))
                            .map(row -> {
                                count("published");
                                LOG.infof("published %s %s from %s (sha256 %s)", command.canonical(), row.version,
                                        row.wheelUrl, row.wheelSha256);
                                return new PublishOutcome(true, mapper.toApi(row));
                            });
                })
                .onFailure(ProblemException.class).invoke(f -> count(((ProblemException) f).type().slug()));
    }

    /** Marks the attempt failed with the reason, then answers the original failure. */
    private <T> Uni<T> recordFailure(PublishCommand command, Caller caller, Claim.Attempt attempt, Throwable failure) {
        String reason = failure instanceof ProblemException problem ? problem.detail()
                : "internal error while verifying the wheel";
        if (!(failure instanceof ProblemException)) {
            LOG.errorf(failure, "verifying %s %s failed unexpectedly", command.canonical(), command.version().text());
        } else {
            LOG.infof("publish of %s %s failed: %s", command.canonical(), command.version().text(), reason);
        }
        // A failure of the fetch side is answered as such: an unexpected one (a bug) as 500, never as a
        // database failure because it happens to be a timeout or a refused connection of the wheel server.
        Throwable answer = failure instanceof ProblemException ? failure
                : new ProblemException(ProblemType.INTERNAL, "an unexpected error occurred while verifying the wheel; "
                        + "it has been logged");
        return ledger.fail(attempt, command, caller, reason)
                .onFailure().invoke(f -> LOG.warnf("could not record the failure of %s %s (the lease will): %s",
                        command.canonical(), command.version().text(), f.toString()))
                .onFailure().recoverWithNull()
                .flatMap(x -> Uni.createFrom().failure(answer));
    }

    private void count(String outcome) {
        metrics.counter("registry.publishes", "outcome", outcome).increment();
    }
}
