package dev.providers.registry.auth;

import dev.providers.registry.config.RegistryConfig;
import dev.providers.registry.problem.ProblemException;
import dev.providers.registry.problem.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/** The one place that decides who may write to which namespace (API.md "Authentication and authorization"). */
@ApplicationScoped
public class NamespacePolicy {

    private final RegistryConfig.Auth config;

    public NamespacePolicy(RegistryConfig config) {
        this.config = config.auth();
    }

    public boolean isReserved(String prefix) {
        return config.reservedPrefixes().contains(prefix);
    }

    public List<String> reservedPrefixes() {
        return config.reservedPrefixes();
    }

    /** Any write: a token is needed. */
    public void requireAuthenticated(Caller caller) {
        if (caller.isAnonymous()) {
            throw new ProblemException(ProblemType.UNAUTHORIZED, "a bearer token is required for this operation");
        }
    }

    /** Customer routes need the organization claims, unless the caller is a platform publisher. */
    public void requireOrganization(Caller caller) {
        requireAuthenticated(caller);
        if (!caller.hasOrganization() && !isPublisher(caller)) {
            throw new ProblemException(
                    ProblemType.UNAUTHORIZED,
                    "the token carries no organization (claims " + config.orgSlugClaim() + " and " + config.orgIdClaim()
                            + " are required)");
        }
    }

    public boolean isPublisher(Caller caller) {
        return caller.inGroup(config.publisherGroup());
    }

    public void requirePublisher(Caller caller) {
        requireAuthenticated(caller);
        if (!isPublisher(caller)) {
            throw new ProblemException(
                    ProblemType.FORBIDDEN_NAMESPACE,
                    "this operation needs the '" + config.publisherGroup() + "' group");
        }
    }

    /** Creating {@code prefix/name}: the prefix must be the caller's organization slug (or reserved + group). */
    public void authorizeCreate(Caller caller, String prefix) {
        if (isReserved(prefix)) {
            requireReservedAccess(caller, prefix);
            return;
        }
        if (!prefix.equals(caller.orgSlug())) {
            throw new ProblemException(
                    ProblemType.FORBIDDEN_NAMESPACE,
                    "namespace '" + prefix + "' does not belong to your organization"
                            + (caller.orgSlug() == null ? "" : " ('" + caller.orgSlug() + "')"));
        }
    }

    /** Every write after creation: the caller must own the provider ({@link #isOwner}). */
    public void authorizeOwner(Caller caller, String prefix, String ownerOrgId) {
        if (isReserved(prefix)) {
            requireReservedAccess(caller, prefix);
        } else if (!isOwner(caller, prefix, ownerOrgId)) {
            throw new ProblemException(
                    ProblemType.FORBIDDEN_NAMESPACE, "namespace '" + prefix + "' is owned by another organization");
        }
    }

    /**
     * Ownership: a provider under a reserved prefix belongs to the platform publishers, any other to the
     * organization recorded as its owner. {@link #ownedProvidersSql} says the same in SQL.
     */
    public boolean isOwner(Caller caller, String prefix, String ownerOrgId) {
        if (isReserved(prefix)) {
            return isPublisher(caller);
        }
        return caller.orgId() != null && caller.orgId().equals(ownerOrgId);
    }

    /**
     * {@link #isOwner} as an SQL condition on the providers row {@code p}, its values appended to {@code params}
     * and referenced as {@code $n}; {@code null} when the caller owns nothing.
     */
    public String ownedProvidersSql(Caller caller, List<Object> params) {
        List<String> conditions = new ArrayList<>();
        boolean publisher = isPublisher(caller);
        String reserved = caller.orgId() != null || publisher ? placeholders(config.reservedPrefixes(), params) : null;
        if (caller.orgId() != null) {
            params.add(caller.orgId());
            conditions.add("(p.owner_org_id = $" + params.size()
                    + (reserved == null ? "" : " AND p.prefix NOT IN (" + reserved + ")") + ")");
        }
        if (publisher && reserved != null) {
            conditions.add("p.prefix IN (" + reserved + ")");
        }
        return conditions.isEmpty() ? null : String.join(" OR ", conditions);
    }

    private static String placeholders(List<String> values, List<Object> params) {
        if (values.isEmpty()) {
            return null;
        }
        StringJoiner out = new StringJoiner(", ");
        for (String value : values) {
            params.add(value);
            out.add("$" + params.size());
        }
        return out.toString();
    }

    private void requireReservedAccess(Caller caller, String prefix) {
        if (!isPublisher(caller)) {
            throw new ProblemException(
                    ProblemType.FORBIDDEN_NAMESPACE,
                    "namespace '" + prefix + "' is reserved for first-party providers (group '"
                            + config.publisherGroup() + "')");
        }
    }
}
