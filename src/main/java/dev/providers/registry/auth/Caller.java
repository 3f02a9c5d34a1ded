package dev.providers.registry.auth;

import java.time.Instant;
import java.util.Set;

/** Who is asking, as read from a verified token; {@link #ANONYMOUS} when no token was sent. */
public record Caller(
        String subject,
        String email,
        String orgSlug,
        String orgId,
        String orgName,
        Set<String> groups,
        Instant issuedAt) {

    public static final Caller ANONYMOUS = new Caller(null, null, null, null, null, Set.of(), null);

    public boolean isAnonymous() {
        return subject == null && groups.isEmpty() && orgId == null;
    }

    public boolean hasOrganization() {
        return orgSlug != null && orgId != null;
    }

    public boolean inGroup(String group) {
        return groups.contains(group);
    }
}
