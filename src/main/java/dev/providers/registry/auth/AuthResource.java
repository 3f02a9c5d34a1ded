package dev.providers.registry.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.providers.registry.problem.ProblemException;
import dev.providers.registry.problem.ProblemType;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** What the oldest SDK and CLI ask before publishing; answered from the token alone. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

    private final CallerResolver callers;
    private final NamespacePolicy policy;

    public AuthResource(CallerResolver callers, NamespacePolicy policy) {
        this.callers = callers;
        this.policy = policy;
    }

    @GET
    @Path("auth/me")
    @Operation(summary = "The caller, from the token")
    public Uni<Me> me() {
        return callers.current().map(caller -> {
            policy.requireAuthenticated(caller);
            return new Me(caller.subject(), caller.email(), caller.orgId(), caller.orgName());
        });
    }

    @GET
    @Path("organizations/{id}")
    @Operation(summary = "The caller's organization, from the token")
    public Uni<Organization> organization(@PathParam("id") String id) {
        return callers.current().map(caller -> {
            policy.requireAuthenticated(caller);
            if (caller.orgId() == null || !caller.orgId().equals(id)) {
                throw new ProblemException(
                        ProblemType.NOT_FOUND, "organization " + id + " is not yours or does not exist");
            }
            Instant at = caller.issuedAt() != null ? caller.issuedAt() : Instant.EPOCH;
            String name = caller.orgName() != null ? caller.orgName() : caller.orgSlug();
            return new Organization(caller.orgId(), name, caller.orgSlug(), "active", at, at);
        });
    }

    @RegisterForReflection
    public record Me(
            @JsonProperty("user_id") String userId,
            @JsonProperty("email") String email,
            @JsonProperty("organization_id") String organizationId,
            @JsonProperty("organization_name") String organizationName) {}

    @RegisterForReflection
    public record Organization(
            @JsonProperty("organization_id") String organizationId,
            @JsonProperty("name") String name,
            @JsonProperty("slug") String slug,
            @JsonProperty("status") String status,
            @JsonProperty("created_at") Instant createdAt,
            @JsonProperty("updated_at") Instant updatedAt) {}
}
