package dev.providers.registry.catalog;

import dev.providers.registry.auth.CallerResolver;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/providers/{prefix}/{name}/versions")
@Produces(MediaType.APPLICATION_JSON)
public class VersionResource {

    private final CallerResolver callers;
    private final CatalogReadService catalog;

    public VersionResource(CallerResolver callers, CatalogReadService catalog) {
        this.callers = callers;
        this.catalog = catalog;
    }

    @GET
    @Path("{version}")
    @Operation(summary = "Read one provider version")
    public Uni<ProviderVersion> version(@PathParam("prefix") String prefix, @PathParam("name") String name,
            @PathParam("version") String version) {
        return callers.current().flatMap(caller -> catalog.version(prefix, name, version, caller));
    }
}
