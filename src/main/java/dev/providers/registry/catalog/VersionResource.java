package dev.providers.registry.catalog;

import dev.providers.registry.auth.CallerResolver;
import dev.providers.registry.http.BodyReader;
import dev.providers.registry.http.CachedJson;
import dev.providers.registry.http.JsonBodies;
import dev.providers.registry.persistence.VersionStatus;
import dev.providers.registry.problem.ProblemException;
import dev.providers.registry.simple.SimplePageCache;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/providers/{prefix}/{name}/versions")
@Produces(MediaType.APPLICATION_JSON)
public class VersionResource {

    private static final int YANK_REASON_MAX = 1_000;

    private final CallerResolver callers;
    private final CatalogReadService reads;
    private final CatalogWriteService writes;
    private final SimplePageCache pages;
    private final JsonBodies bodies;
    private final CachedJson cached;

    public VersionResource(
            CallerResolver callers,
            CatalogReadService reads,
            CatalogWriteService writes,
            SimplePageCache pages,
            JsonBodies bodies,
            CachedJson cached) {
        this.callers = callers;
        this.reads = reads;
        this.writes = writes;
        this.pages = pages;
        this.bodies = bodies;
        this.cached = cached;
    }

    @GET
    @Operation(summary = "The versions of a provider, highest SemVer first")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ProviderVersion[].class)))
    public Uni<Response> versions(
            @PathParam("prefix") String prefix, @PathParam("name") String name, @QueryParam("status") String status) {
        VersionStatus filter = parseStatus(status);
        return callers.current()
                .flatMap(caller -> reads.versions(prefix, name, filter, caller))
                .map(owned -> CachedJson.varying(Response.ok(owned.value()), owned.owner())
                        .build());
    }

    @GET
    @Path("{version}")
    @Operation(summary = "Read one provider version")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ProviderVersion.class)))
    public Uni<Response> version(
            @PathParam("prefix") String prefix,
            @PathParam("name") String name,
            @PathParam("version") String version,
            @Context HttpHeaders headers) {
        return callers.current()
                .flatMap(caller -> reads.version(prefix, name, version, caller))
                .map(owned -> cached.respond(headers, owned.value(), owned.owner()));
    }

    @POST
    @Path("{version}/yank")
    @Operation(summary = "Yank a version (owner): it stays readable but is never the latest")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ProviderVersion.class)))
    public Uni<Response> yank(
            @PathParam("prefix") String prefix,
            @PathParam("name") String name,
            @PathParam("version") String version,
            byte[] body) {
        String reason = readReason(body);
        return callers.current()
                .flatMap(caller -> pages.afterWrite(prefix, writes.yank(prefix, name, version, reason, caller)))
                .map(v -> CachedJson.varying(Response.ok(v), true).build());
    }

    @POST
    @Path("{version}/unyank")
    @Operation(summary = "Unyank a version (owner)")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ProviderVersion.class)))
    public Uni<Response> unyank(
            @PathParam("prefix") String prefix, @PathParam("name") String name, @PathParam("version") String version) {
        return callers.current()
                .flatMap(caller -> pages.afterWrite(prefix, writes.unyank(prefix, name, version, caller)))
                .map(v -> CachedJson.varying(Response.ok(v), true).build());
    }

    /** The optional {@code {reason}} body: no body or no Content-Type is fine. */
    private String readReason(byte[] body) {
        BodyReader fields = bodies.readOptional(body);
        if (fields == null) {
            return null;
        }
        String reason = fields.optionalText("reason", 0, YANK_REASON_MAX);
        fields.throwIfInvalid();
        return reason;
    }

    private static VersionStatus parseStatus(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return VersionStatus.fromWire(status.trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.validation(
                    "status",
                    "must be one of "
                            + Arrays.stream(VersionStatus.values())
                                    .map(VersionStatus::wire)
                                    .collect(Collectors.joining(", ")));
        }
    }
}
