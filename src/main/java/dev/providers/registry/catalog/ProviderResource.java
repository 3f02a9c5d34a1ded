package dev.providers.registry.catalog;

import dev.providers.registry.auth.CallerResolver;
import dev.providers.registry.http.BodyReader;
import dev.providers.registry.http.CachedJson;
import dev.providers.registry.http.FieldErrors;
import dev.providers.registry.http.JsonBodies;
import dev.providers.registry.http.QueryParams;
import dev.providers.registry.persistence.ProviderQuery;
import dev.providers.registry.problem.Problem;
import dev.providers.registry.simple.SimplePageCache;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/providers")
@Produces(MediaType.APPLICATION_JSON)
public class ProviderResource {

    private static final Set<String> SCOPES = Set.of("public", "tenant");

    private final CallerResolver callers;
    private final CatalogReadService reads;
    private final CatalogWriteService writes;
    private final SimplePageCache pages;
    private final JsonBodies bodies;
    private final CachedJson cached;

    public ProviderResource(
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
    @Operation(summary = "Search the catalog")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Provider.Page.class)))
    public Uni<Response> search(
            @QueryParam("q") String q,
            @QueryParam("scope") String scope,
            @QueryParam("tags") List<String> tags,
            @QueryParam("limit") String limit,
            @QueryParam("offset") String offset) {
        FieldErrors errors = new FieldErrors();
        int pageSize = (int) QueryParams.number(errors, "limit", limit, 1, 100, 20);
        long skip = QueryParams.number(errors, "offset", offset, 0, Long.MAX_VALUE / 2, 0);
        if (scope != null && !SCOPES.contains(scope)) {
            errors.add("scope", "must be public or tenant");
        }
        if (q != null && q.length() > 200) {
            errors.add("q", "must be at most 200 characters");
        }
        List<String> tagFilter = tags == null
                ? List.of()
                : tags.stream().filter(t -> !t.isBlank()).toList();
        if (tagFilter.size() > ProviderFields.TAGS_MAX
                || tagFilter.stream().anyMatch(t -> t.length() > ProviderFields.TAG_MAX || t.indexOf('\0') >= 0)) {
            errors.add(
                    "tags",
                    "at most " + ProviderFields.TAGS_MAX + " tags of at most " + ProviderFields.TAG_MAX
                            + " characters, without NUL");
        }
        if (q != null && q.indexOf('\0') >= 0) {
            errors.add("q", "must not contain NUL characters");
        }
        errors.throwIfAny();
        ProviderQuery query =
                new ProviderQuery(q == null || q.isBlank() ? null : q.trim(), scope, tagFilter, pageSize, skip);
        return callers.current()
                .flatMap(caller -> reads.search(query, caller)
                        .map(page -> CachedJson.varying(Response.ok(page), !caller.isAnonymous())
                                .build()));
    }

    @GET
    @Path("{prefix}/{name}")
    @Operation(summary = "Read a provider")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Provider.class)))
    public Uni<Response> provider(
            @PathParam("prefix") String prefix, @PathParam("name") String name, @Context HttpHeaders headers) {
        return callers.current()
                .flatMap(caller -> reads.provider(prefix, name, caller))
                .map(owned -> cached.respond(headers, owned.value(), owned.owner()));
    }

    @PATCH
    @Path("{prefix}/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change a provider's catalog fields (owner)")
    @RequestBody(content = @Content(schema = @Schema(implementation = ProviderPatch.class)))
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Provider.class)))
    public Uni<Response> update(@PathParam("prefix") String prefix, @PathParam("name") String name, byte[] body) {
        return callers.current()
                .flatMap(caller -> {
                    ProviderPatch patch = readPatch(body);
                    return pages.afterWrite(prefix, writes.update(prefix, name, patch, caller));
                })
                .map(provider -> CachedJson.varying(Response.ok(provider), true).build());
    }

    @DELETE
    @Path("{prefix}/{name}")
    @Operation(summary = "Remove a provider from the catalog (owner); its versions stay reserved")
    @APIResponse(responseCode = "204", description = "Removed; its versions stay reserved as tombstones")
    @APIResponse(
            responseCode = "401",
            description = "No valid token",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "403",
            description = "Another organization's provider",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "404",
            description = "Unknown or invisible provider",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> delete(@PathParam("prefix") String prefix, @PathParam("name") String name) {
        return callers.current()
                .flatMap(caller -> pages.afterWrite(prefix, writes.delete(prefix, name, caller)))
                .map(v -> Response.noContent().build());
    }

    @GET
    @Path("{prefix}/{name}/events")
    @Operation(summary = "Audit events, newest first (owner)")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = AuditEvent.Page.class)))
    public Uni<Response> events(
            @PathParam("prefix") String prefix,
            @PathParam("name") String name,
            @QueryParam("before") String before,
            @QueryParam("limit") String limit) {
        FieldErrors errors = new FieldErrors();
        int pageSize = (int) QueryParams.number(errors, "limit", limit, 1, 100, 50);
        Long cursor = before == null ? null : QueryParams.number(errors, "before", before, 1, Long.MAX_VALUE, 0);
        errors.throwIfAny();
        return callers.current()
                .flatMap(caller -> reads.events(prefix, name, cursor, pageSize, caller))
                .map(rows -> {
                    List<AuditEvent> items = rows.stream().map(AuditEvent::of).toList();
                    Long next = items.size() == pageSize
                            ? items.get(items.size() - 1).id()
                            : null;
                    return CachedJson.varying(Response.ok(new AuditEvent.Page(items, next)), true)
                            .build();
                });
    }

    private ProviderPatch readPatch(byte[] body) {
        BodyReader fields = bodies.read(body);
        ProviderFields.Display display = ProviderFields.read(fields);
        String readme = fields.optionalText("readme", 0, ProviderPatch.README_MAX);
        String scope = fields.optionalText("scope", 1, 10);
        if (scope != null && !SCOPES.contains(scope)) {
            fields.error("scope", "must be public or tenant");
        }
        fields.throwIfInvalid();
        return new ProviderPatch(
                display.displayName(), display.description(), display.iconUrl(), readme, display.tags(), scope);
    }
}
