package dev.providers.registry.publish;

import dev.providers.registry.config.RegistryConfig;
import dev.providers.registry.fetch.NotAWheelException;
import dev.providers.registry.fetch.PackageNotInWheelException;
import dev.providers.registry.fetch.WheelFetcher;
import dev.providers.registry.fetch.WheelInspection;
import dev.providers.registry.fetch.WheelStreamVerifier;
import dev.providers.registry.problem.ProblemException;
import dev.providers.registry.problem.ProblemType;
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
    private final int maxCentralDirectory;
    private final Timer fetchTime;
    private final DistributionSummary fetchBytes;

    public WheelVerification(WheelFetcher fetcher, RegistryConfig config, MeterRegistry metrics) {
        this.fetcher = fetcher;
        this.maxCentralDirectory = (int) Math.min(Integer.MAX_VALUE, config.fetch().maxCentralDirectory().asLongValue());
        this.fetchTime = Timer.builder("registry.fetch.duration").description("Time to fetch and verify a wheel")
                .publishPercentileHistogram().register(metrics);
        this.fetchBytes = DistributionSummary.builder("registry.fetch.bytes").description("Size of fetched wheels")
                .baseUnit("bytes").publishPercentileHistogram().register(metrics);
    }

    /**
     * @param requiredSha256 the digest that a deleted provider's version reserved for this number, or null
     */
    public Uni<WheelInspection> verify(PublishCommand command, String requiredSha256) {
        WheelStreamVerifier verifier = new WheelStreamVerifier(maxCentralDirectory);
        long started = System.nanoTime();
        // For large wheels accept runs on a hashing thread; the fetch completes, on the event loop, after the last call.
        return fetcher.fetch(command.wheelUrl(), verifier::accept, verifier::expectLength).map(fetched -> {
            fetchTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            fetchBytes.record(fetched.bytes());
            WheelInspection wheel = inspect(command, verifier);
            if (command.sha256() != null && !WheelStreamVerifier.constantTimeEquals(command.sha256(), wheel.sha256Hex())) {
                throw new ProblemException(ProblemType.SHA256_MISMATCH, "the wheel's SHA-256 is " + wheel.sha256Hex()
                        + ", not the expected " + command.sha256());
            }
            if (requiredSha256 != null && !WheelStreamVerifier.constantTimeEquals(requiredSha256, wheel.sha256Hex())) {
                throw new ProblemException(ProblemType.VERSION_IMMUTABLE, command.canonical() + " "
                        + command.version().text() + " was published with another wheel before the provider was "
                        + "deleted (sha256 " + requiredSha256 + "); the number can be reused only with that wheel");
            }
            return wheel;
        });
    }

    private static WheelInspection inspect(PublishCommand command, WheelStreamVerifier verifier) {
        try {
            return verifier.finish(command.fileName().distribution(), command.version().pep440(), command.packageName());
        } catch (NotAWheelException e) {
            throw new ProblemException(ProblemType.NOT_A_WHEEL, e.getMessage());
        } catch (PackageNotInWheelException e) {
            throw ProblemException.validation("package_name", e.getMessage());
        }
    }
}
