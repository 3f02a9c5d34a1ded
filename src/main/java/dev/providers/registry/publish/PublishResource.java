package dev.providers.registry.publish;

import dev.providers.registry.auth.CallerResolver;
import dev.providers.registry.auth.NamespacePolicy;
import dev.providers.registry.catalog.ProviderVersion;
import dev.providers.registry.problem.Problem;
import dev.providers.registry.problem.ProblemException;
import dev.providers.registry.problem.ProblemType;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** {@code POST /provider-versions} and its console twin: thin, the use case is {@link PublishService}. */
@Path("/")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class PublishResource {

    private final CallerResolver callers;
    private final NamespacePolicy policy;
    private final PublishRequestParser parser;
    private final PublishService service;

    public PublishResource(
            CallerResolver callers, NamespacePolicy policy, PublishRequestParser parser, PublishService service) {
        this.callers = callers;
        this.policy = policy;
        this.parser = parser;
        this.service = service;
    }

    @POST
    @Path("provider-versions")
    @Operation(summary = "Create Wheel Provider Version")
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = WheelProviderVersionCreate.class)))
    @APIResponse(
            responseCode = "201",
            description = "Created and published",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ProviderVersion.class)))
    @APIResponse(
            responseCode = "200",
            description = "Identical version already published",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ProviderVersion.class)))
    @APIResponse(
            responseCode = "422",
            description = "Validation or verification failure",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> publish(byte[] body) {
        return callers.current()
                .flatMap(caller -> {
                    policy.requireOrganization(caller);
                    return service.publish(parser.parse(body, caller), caller, PublishRoute.PUBLIC);
                })
                .map(PublishResource::answer);
    }

    @POST
    @Path("console/provider-versions")
    @Operation(summary = "Create a first-party provider version (reserved prefixes, platform publishers only)")
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = WheelProviderVersionCreate.class)))
    @APIResponse(
            responseCode = "201",
            description = "Created and published",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ProviderVersion.class)))
    @APIResponse(
            responseCode = "200",
            description = "Identical version already published",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ProviderVersion.class)))
    @APIResponse(
            responseCode = "403",
            description = "Not a platform publisher, or not a reserved prefix",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "422",
            description = "Validation or verification failure",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> publishConsole(byte[] body) {
        return callers.current()
                .flatMap(caller -> {
                    policy.requirePublisher(caller);
                    PublishCommand command = parser.parse(body, caller);
                    requireReserved(command);
                    return service.publish(command, caller, PublishRoute.CONSOLE);
                })
                .map(PublishResource::answer);
    }

    private void requireReserved(PublishCommand command) {
        if (!policy.isReserved(command.prefix())) {
            throw new ProblemException(
                    ProblemType.FORBIDDEN_NAMESPACE,
                    "the console publishes reserved prefixes only (" + String.join(", ", policy.reservedPrefixes())
                            + "), not '" + command.prefix() + "'");
        }
    }

    static Response answer(PublishOutcome outcome) {
        ProviderVersion v = outcome.version();
        if (!outcome.created()) {
            return Response.ok(v).build();
        }
        return Response.created(UriBuilder.fromPath("/providers/{prefix}/{name}/versions/{version}")
                        .build(v.prefix(), v.name(), v.version()))
                .entity(v)
                .build();
    }
}
