package dev.providers.registry.publish;

import dev.providers.registry.auth.Caller;
import dev.providers.registry.config.RegistryConfig;
import dev.providers.registry.persistence.ProviderVersionRepository;
import dev.providers.registry.problem.ProblemException;
import dev.providers.registry.problem.ProblemType;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The optional per-organization caps, both off by default and both kept in PostgreSQL so that they hold across
 * replicas: a publish rate limit (fixed windows, counted inside the claim transaction, so a refused publish does not
 * count) and a cap on concurrent fetches (the organization's {@code building} rows with a running lease, counted
 * under a transaction-scoped advisory lock per organization). Both answer 429 {@code rate-limited} with Retry-After.
 */
@ApplicationScoped
public class PublishLimits {

    private final ProviderVersionRepository versions;
    private final RateLimit rate;
    private final OptionalInt maxConcurrent;

    public PublishLimits(ProviderVersionRepository versions, RegistryConfig config) {
        this.versions = versions;
        this.rate = config.publish()
                .rateLimit()
                .filter(s -> !s.isBlank() && !s.equalsIgnoreCase("off"))
                .map(RateLimit::parse)
                .orElse(null);
        this.maxConcurrent = config.fetch().maxConcurrentPerOrg();
        if (maxConcurrent.isPresent() && maxConcurrent.getAsInt() < 1) {
            throw new IllegalArgumentException("registry.fetch.max-concurrent-per-org must be at least 1");
        }
    }

    static String orgKey(Caller caller, String prefix) {
        return caller.orgId() != null ? "org:" + caller.orgId() : "prefix:" + prefix;
    }

    /** Counts this publish in the current window; inside the claim transaction. */
    public Uni<Void> countPublish(Caller caller, String prefix, Instant now) {
        if (rate == null) {
            return Uni.createFrom().voidItem();
        }
        long windowMillis = rate.window().toMillis();
        Instant windowStart = Instant.ofEpochMilli(now.toEpochMilli() / windowMillis * windowMillis);
        return versions.countInWindow(orgKey(caller, prefix), windowStart)
                .map(count -> {
                    if (count > rate.publishes()) {
                        long retry = Math.max(
                                1, (windowStart.toEpochMilli() + windowMillis - now.toEpochMilli() + 999) / 1000);
                        throw new ProblemException(
                                ProblemType.RATE_LIMITED,
                                "your organization may publish " + rate.publishes() + " times per "
                                        + rate.window().toSeconds() + "s; retry in " + retry + "s",
                                null,
                                Map.of("Retry-After", Long.toString(retry)));
                    }
                    return null;
                })
                .replaceWithVoid();
    }

    /** After the claim made a row building: refuse when the organization now has more fetches than allowed. */
    public Uni<Void> admitFetch(String ownerOrgId, Instant now) {
        if (maxConcurrent.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int cap = maxConcurrent.getAsInt();
        return versions.flush()
                .flatMap(v -> versions.activeFetches(ownerOrgId, now))
                .map(active -> {
                    if (active > cap) {
                        throw new ProblemException(
                                ProblemType.RATE_LIMITED,
                                "your organization already has " + cap
                                        + " publish(es) fetching; retry when one finishes",
                                null,
                                Map.of("Retry-After", "5"));
                    }
                    return null;
                })
                .replaceWithVoid();
    }
}
