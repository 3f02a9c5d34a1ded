package dev.providers.registry.publish;

import dev.providers.registry.fetch.FetchFailure;
import dev.providers.registry.fetch.WheelFetcher;
import dev.providers.registry.problem.ProblemException;
import dev.providers.registry.problem.ProblemType;
import dev.providers.registry.wheel.NotAWheelException;
import dev.providers.registry.wheel.PackageNotInWheelException;
import dev.providers.registry.wheel.WheelDigester;
import dev.providers.registry.wheel.WheelDigesters;
import dev.providers.registry.wheel.WheelInspection;
import dev.providers.registry.wheel.WheelStreamVerifier;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/** Step 4 of a publish: fetch the wheel once, digesting and inspecting it on the same pass. */
@ApplicationScoped
public class WheelVerification {

    private final WheelFetcher fetcher;
    private final WheelDigesters digesters;
    private final Timer fetchTime;
    private final DistributionSummary fetchBytes;

    public WheelVerification(WheelFetcher fetcher, WheelDigesters digesters, MeterRegistry metrics) {
        this.fetcher = fetcher;
        this.digesters = digesters;
        this.fetchTime = Timer.builder("registry.fetch.duration")
                .description("Time to fetch and verify a wheel")
                .publishPercentileHistogram()
                .register(metrics);
        this.fetchBytes = DistributionSummary.builder("registry.fetch.bytes")
                .description("Size of fetched wheels")
                .baseUnit("bytes")
                .publishPercentileHistogram()
                .register(metrics);
    }

    /**
     * @param requiredSha256 the digest that a deleted provider's version reserved for this number, or null
     * @return fails with a {@link VerificationFailure}
     */
    public Uni<VerifiedWheel> verify(PublishCommand command, String requiredSha256) {
        WheelDigester digester = digesters.open().afterHashing(WheelFetcher::giveBack);
        long started = System.nanoTime();
        return fetcher.fetch(command.wheelUrl(), digester, digester::expectLength)
                .onTermination()
                .invoke((fetched, failure, cancelled) -> {
                    if (failure != null || cancelled) {
                        digester.discard();
                    }
                })
                .onFailure()
                .transform(failure -> failure instanceof FetchFailure fetch
                        ? new VerificationFailure(fetch.getCause(), fetch.address())
                        : new VerificationFailure(failure, null))
                .map(fetched -> {
                    fetchTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                    fetchBytes.record(fetched.bytes());
                    try {
                        return new VerifiedWheel(check(command, requiredSha256, digester), fetched);
                    } catch (RuntimeException e) {
                        throw new VerificationFailure(e, fetched.address());
                    }
                });
    }

    private static WheelInspection check(PublishCommand command, String requiredSha256, WheelDigester digester) {
        WheelInspection wheel = inspect(command, digester);
        if (command.sha256() != null && !WheelStreamVerifier.constantTimeEquals(command.sha256(), wheel.sha256Hex())) {
            throw new ProblemException(
                    ProblemType.SHA256_MISMATCH,
                    "the wheel's SHA-256 is " + wheel.sha256Hex() + ", not the expected " + command.sha256());
        }
        if (requiredSha256 != null && !WheelStreamVerifier.constantTimeEquals(requiredSha256, wheel.sha256Hex())) {
            throw new ProblemException(
                    ProblemType.VERSION_IMMUTABLE,
                    command.canonical() + " "
                            + command.version().text() + " was published with another wheel before the provider was "
                            + "deleted (sha256 " + requiredSha256 + "); the number can be reused only with that wheel");
        }
        return wheel;
    }

    private static WheelInspection inspect(PublishCommand command, WheelDigester digester) {
        try {
            return digester.finish(
                    command.fileName().distribution(), command.version().pep440(), command.packageName());
        } catch (NotAWheelException e) {
            throw new ProblemException(ProblemType.NOT_A_WHEEL, e.getMessage());
        } catch (PackageNotInWheelException e) {
            throw ProblemException.validation("package_name", e.getMessage());
        }
    }
}
