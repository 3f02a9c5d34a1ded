package dev.providers.registry.runtime;

import dev.providers.registry.auth.CallerResolver;
import dev.providers.registry.auth.NamespacePolicy;
import dev.providers.registry.http.BodyReader;
import dev.providers.registry.http.JsonBodies;
import dev.providers.registry.identity.SemVer;
import dev.providers.registry.problem.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class RuntimeVersionResource {

    private final CallerResolver callers;
    private final NamespacePolicy policy;
    private final JsonBodies bodies;
    private final RuntimeVersionService service;

    public RuntimeVersionResource(
            CallerResolver callers, NamespacePolicy policy, JsonBodies bodies, RuntimeVersionService service) {
        this.callers = callers;
        this.policy = policy;
        this.bodies = bodies;
        this.service = service;
    }

    @GET
    @Path("runtime/versions")
    @Operation(summary = "Runtime versions, highest first")
    public Uni<List<RuntimeVersion>> list() {
        return service.list();
    }

    @POST
    @Path("console/runtime/versions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a runtime version (platform publishers)")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = RuntimeVersionCreate.class)))
    @APIResponse(
            responseCode = "201",
            description = "Registered",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = RuntimeVersion.class)))
    @APIResponse(
            responseCode = "200",
            description = "Already registered with the same content",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = RuntimeVersion.class)))
    @APIResponse(
            responseCode = "403",
            description = "Not a platform publisher",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "409",
            description = "Registered with other content (runtime-version-exists)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "422",
            description = "Invalid fields",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> register(byte[] body) {
        return callers.current()
                .flatMap(caller -> {
                    policy.requirePublisher(caller);
                    BodyReader fields = bodies.read(body);
                    String version = fields.requiredText("version", 1, SemVer.MAX_LENGTH);
                    String imageUrl = fields.requiredText("image_url", 1, RuntimeVersionCreate.IMAGE_URL_MAX);
                    String changelog = fields.optionalText("changelog", 0, RuntimeVersionCreate.CHANGELOG_MAX);
                    SemVer semVer = null;
                    if (version != null) {
                        try {
                            semVer = SemVer.parse(version);
                        } catch (IllegalArgumentException e) {
                            fields.error("version", e.getMessage());
                        }
                    }
                    if (imageUrl != null
                            && imageUrl.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
                        fields.error("image_url", "must not contain white space or control characters");
                    }
                    fields.throwIfInvalid();
                    return service.register(semVer, imageUrl, changelog);
                })
                .map(registered -> Response.status(registered.created() ? 201 : 200)
                        .entity(registered.version())
                        .build());
    }
}
