package dev.providers.registry.catalog;

import dev.providers.registry.auth.Caller;
import dev.providers.registry.auth.NamespacePolicy;
import dev.providers.registry.persistence.ProviderEntity;
import dev.providers.registry.persistence.ProviderRepository;
import dev.providers.registry.persistence.ProviderVersionRepository;
import dev.providers.registry.persistence.VersionStatus;
import dev.providers.registry.problem.ProblemException;
import dev.providers.registry.problem.ProblemType;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import dev.providers.registry.identity.Segments;
import dev.providers.registry.identity.SemVer;

import java.util.List;
import java.util.regex.Pattern;
import java.util.Locale;

/**
 * The one place that decides what a caller may see and change in the catalog (API.md): tenant-scoped providers
 * and providers without a published or yanked version exist only for their owner; invisible is 404, never 403; a
 * visible provider refuses non-owners' writes with 403. Must run inside a reactive session.
 */
@ApplicationScoped
public class CatalogAccess {

    private static final Pattern SEGMENT = Pattern.compile(Segments.SEGMENT_REGEX);

    public static final List<VersionStatus> PUBLIC_STATUSES = List.of(VersionStatus.PUBLISHED, VersionStatus.YANKED);

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
        String p = lower(prefix);
        String n = lower(name);
        if (!isSegment(p) || !isSegment(n)) {
            return Uni.createFrom().failure(noSuchName());
        }
        return providers.findLive(p, n).flatMap(provider -> visibility(provider, p, n, caller));
    }

    /** A path segment that no provider can have (control characters, too long...) is answered without a query. */
    private static boolean isSegment(String segment) {
        return SEGMENT.matcher(segment).matches();
    }

    private static ProblemException noSuchName() {
        return new ProblemException(ProblemType.NOT_FOUND, "no provider has that name (names match "
                + Segments.SEGMENT_REGEX + ")");
    }

    /** A version path parameter that no version can have: 404 without a query. */
    public static boolean isPossibleVersion(String version) {
        return version.length() <= SemVer.MAX_LENGTH && version.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }

    /** The provider locked for an owner's write: 401 without a token, 404 when invisible, 403 when not the owner. */
    public Uni<ProviderEntity> forOwnerWrite(String prefix, String name, Caller caller) {
        policy.requireAuthenticated(caller);
        String p = lower(prefix);
        String n = lower(name);
        if (!isSegment(p) || !isSegment(n)) {
            return Uni.createFrom().failure(noSuchName());
        }
        return providers.findLiveForUpdate(p, n).flatMap(provider -> visibility(provider, p, n, caller))
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

    public boolean isOwner(Caller caller, ProviderEntity provider) {
        return policy.isOwner(caller, provider.prefix, provider.ownerOrgId);
    }

    private Uni<Visible> visibility(ProviderEntity provider, String prefix, String name, Caller caller) {
        if (provider == null) {
            return Uni.createFrom().failure(missing(prefix, name));
        }
        if (isOwner(caller, provider)) {
            return Uni.createFrom().item(new Visible(provider, true));
        }
        if ("tenant".equals(provider.scope)) {
            return Uni.createFrom().failure(missing(prefix, name));
        }
        return versions.count("providerId = ?1 and status in ?2", provider.id, PUBLIC_STATUSES).map(count -> {
            if (count == 0) {
                throw missing(prefix, name);
            }
            return new Visible(provider, false);
        });
    }

    public static ProblemException missing(String prefix, String name) {
        return new ProblemException(ProblemType.NOT_FOUND, "provider " + prefix + "/" + name + " does not exist");
    }

    private static String lower(String segment) {
        return segment.toLowerCase(Locale.ROOT);
    }

    /** A provider that the caller may see; {@code owner} when the caller may also change it. */
    public record Visible(ProviderEntity provider, boolean owner) {
    }
}
