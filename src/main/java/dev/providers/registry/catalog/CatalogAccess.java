package dev.providers.registry.catalog;

import dev.providers.registry.auth.Caller;
import dev.providers.registry.auth.NamespacePolicy;
import dev.providers.registry.identity.Segments;
import dev.providers.registry.identity.SemVer;
import dev.providers.registry.persistence.CatalogQueries.ProviderLookup;
import dev.providers.registry.persistence.ProviderEntity;
import dev.providers.registry.persistence.ProviderRepository;
import dev.providers.registry.persistence.ProviderVersionRepository;
import dev.providers.registry.persistence.VersionStatus;
import dev.providers.registry.problem.ProblemException;
import dev.providers.registry.problem.ProblemType;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * The one place that decides what a caller may see and change in the catalog (API.md): tenant-scoped providers
 * and providers without a published or yanked version exist only for their owner; invisible is 404, never 403; a
 * visible provider refuses non-owners' writes with 403. Must run inside a reactive session.
 */
@ApplicationScoped
public class CatalogAccess {

    private static final Pattern SEGMENT = Pattern.compile(Segments.SEGMENT_REGEX);

    private final ProviderRepository providers;
    private final ProviderVersionRepository versions;
    private final NamespacePolicy policy;

    public CatalogAccess(ProviderRepository providers, ProviderVersionRepository versions, NamespacePolicy policy) {
        this.providers = providers;
        this.versions = versions;
        this.policy = policy;
    }

    /** The provider as {@code caller} may see it, or 404. */
    public Uni<Visible> read(String prefix, String name, Caller caller) {
        return named(
                prefix,
                name,
                (p, n) -> providers.findLive(p, n).flatMap(provider -> visibility(provider, p, n, caller)));
    }

    /**
     * Runs {@code lookup} with the lower-case {@code prefix} and {@code name}; a name no provider can have is 404
     * without a query.
     */
    public <T> Uni<T> named(String prefix, String name, BiFunction<String, String, Uni<T>> lookup) {
        String p = lower(prefix);
        String n = lower(name);
        return isSegment(p) && isSegment(n)
                ? lookup.apply(p, n)
                : Uni.createFrom().failure(noSuchName());
    }

    /** The provider of a one-statement {@link ProviderLookup} as {@code caller} may see it; 404 when it may not. */
    public Visible visible(ProviderLookup found, String prefix, String name, Caller caller) {
        return switch (rule(found == null ? null : found.provider(), caller)) {
            case OWNER -> new Visible(found.provider(), true);
            case HIDDEN -> throw missing(prefix, name);
            case IF_PUBLIC_VERSION -> {
                if (!found.hasPublicVersion()) {
                    throw missing(prefix, name);
                }
                yield new Visible(found.provider(), false);
            }
        };
    }

    /** A path segment that no provider can have (control characters, too long...) is answered without a query. */
    private static boolean isSegment(String segment) {
        return SEGMENT.matcher(segment).matches();
    }

    private static ProblemException noSuchName() {
        return new ProblemException(
                ProblemType.NOT_FOUND, "no provider has that name (names match " + Segments.SEGMENT_REGEX + ")");
    }

    /** A version path parameter that no version can have: 404 without a query. */
    public static boolean isPossibleVersion(String version) {
        return version.length() <= SemVer.MAX_LENGTH && version.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }

    /** The provider locked for an owner's write: 401 without a token, 404 when invisible, 403 when not the owner. */
    public Uni<ProviderEntity> forOwnerWrite(String prefix, String name, Caller caller) {
        policy.requireAuthenticated(caller);
        return named(
                        prefix,
                        name,
                        (p, n) -> providers
                                .findLiveForUpdate(p, n)
                                .flatMap(provider -> visibility(provider, p, n, caller)))
                .map(visible -> {
                    if (!visible.owner()) {
                        forbidNonOwner(caller, visible.provider());
                    }
                    return visible.provider();
                });
    }

    /** A visible provider read by someone who does not own it, on an owner-only route: 401 or 403. */
    public void forbidNonOwner(Caller caller, ProviderEntity provider) {
        policy.requireAuthenticated(caller);
        policy.authorizeOwner(caller, provider.prefix, provider.ownerOrgId);
    }

    private Uni<Visible> visibility(ProviderEntity provider, String prefix, String name, Caller caller) {
        switch (rule(provider, caller)) {
            case OWNER:
                return Uni.createFrom().item(new Visible(provider, true));
            case HIDDEN:
                return Uni.createFrom().failure(missing(prefix, name));
            default:
                break;
        }
        return versions.count("providerId = ?1 and status in ?2", provider.id, VersionStatus.PUBLIC)
                .map(count -> {
                    if (count == 0) {
                        throw missing(prefix, name);
                    }
                    return new Visible(provider, false);
                });
    }

    private enum Rule {
        OWNER,
        HIDDEN,
        IF_PUBLIC_VERSION
    }

    /** Owners see their providers; others never see a missing or tenant-scoped one, and the rest only when public. */
    private Rule rule(ProviderEntity provider, Caller caller) {
        if (provider == null) {
            return Rule.HIDDEN;
        }
        if (policy.isOwner(caller, provider.prefix, provider.ownerOrgId)) {
            return Rule.OWNER;
        }
        return "tenant".equals(provider.scope) ? Rule.HIDDEN : Rule.IF_PUBLIC_VERSION;
    }

    public static ProblemException missing(String prefix, String name) {
        return new ProblemException(ProblemType.NOT_FOUND, "provider " + prefix + "/" + name + " does not exist");
    }

    private static String lower(String segment) {
        return segment.toLowerCase(Locale.ROOT);
    }

    /** A provider that the caller may see; {@code owner} when the caller may also change it. */
    public record Visible(ProviderEntity provider, boolean owner) {}
}
