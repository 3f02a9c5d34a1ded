package dev.providers.registry.auth;

import dev.providers.registry.config.RegistryConfig;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Set;
import java.util.function.BiConsumer;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Turns the request's security identity into a {@link Caller}; an invalid token fails with 401. */
@ApplicationScoped
public class CallerResolver {

    private final CurrentIdentityAssociation identity;
    private final RegistryConfig.Auth config;

    public CallerResolver(CurrentIdentityAssociation identity, RegistryConfig config) {
        this.identity = identity;
        this.config = config.auth();
    }

    public Uni<Caller> current() {
        return identity.getDeferredIdentity().map(this::toCaller);
    }

    /**
     * The caller of a request served by a Vert.x route of our own (the upload and download routes), where no CDI
     * request context holds the identity: the identity that Quarkus's authentication handler deferred on the routing
     * context (proactive authentication is off). A failure (invalid or expired token) is left to the route to answer
     * as a 401 problem: the default failure handler, which would end the response itself, is replaced by a no-op.
     */
    public Uni<Caller> of(RoutingContext rc) {
        Uni<SecurityIdentity> deferred = rc.get(QuarkusHttpUser.DEFERRED_IDENTITY_KEY);
        if (deferred == null) {
            return Uni.createFrom().item(Caller.ANONYMOUS);
        }
        rc.put(QuarkusHttpUser.AUTH_FAILURE_HANDLER, (BiConsumer<RoutingContext, Throwable>) (context, failure) -> {});
        return deferred.map(this::toCaller);
    }

    private Caller toCaller(SecurityIdentity securityIdentity) {
        if (securityIdentity.isAnonymous() || !(securityIdentity.getPrincipal() instanceof JsonWebToken token)) {
            return Caller.ANONYMOUS;
        }
        Set<String> groups = token.getGroups() == null ? Set.of() : Set.copyOf(token.getGroups());
        long iat = token.getIssuedAtTime();
        return new Caller(
                token.getSubject(),
                ClaimPath.read(token, "email"),
                lower(ClaimPath.read(token, config.orgSlugClaim())),
                ClaimPath.read(token, config.orgIdClaim()),
                ClaimPath.read(token, config.orgNameClaim()),
                groups,
                iat > 0 ? Instant.ofEpochSecond(iat) : null);
    }

    private static String lower(String value) {
        return value == null ? null : value.toLowerCase(java.util.Locale.ROOT);
    }
}
