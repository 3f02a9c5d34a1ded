package dev.providers.registry.support;

import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The tests' typed client of the registry API (Quarkus REST client), for calls whose bytes do not matter. */
@RegisterRestClient(configKey = "registry-api")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface RegistryApi {

    @POST
    @Path("/console/runtime/versions")
    Response registerRuntime(@HeaderParam("Authorization") String authorization, JsonObject body);

    @GET
    @Path("/runtime/versions")
    Response runtimeVersions();

    @POST
    @Path("/provider-versions")
    Response publish(@HeaderParam("Authorization") String authorization, JsonObject body);

    @GET
    @Path("/providers/{prefix}/{name}/versions/{version}")
    Response version(
            @PathParam("prefix") String prefix, @PathParam("name") String name, @PathParam("version") String version);
}
