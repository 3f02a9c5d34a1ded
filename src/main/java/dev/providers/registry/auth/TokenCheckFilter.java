package dev.providers.registry.auth;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A request that carries a token has it verified even on a public read: an invalid or expired token is a 401
 * everywhere, never silently anonymous.
 */
public class TokenCheckFilter {

    private final CurrentIdentityAssociation identity;

    public TokenCheckFilter(CurrentIdentityAssociation identity) {
        this.identity = identity;
    }

    @ServerRequestFilter
    public Uni<Void> verifyPresentedToken(ContainerRequestContext context) {
        if (context.getHeaderString(HttpHeaders.AUTHORIZATION) == null) {
            return Uni.createFrom().voidItem();
        }
        return identity.getDeferredIdentity().replaceWithVoid();
    }
}
