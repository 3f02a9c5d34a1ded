package dev.providers.registry.simple;

import dev.providers.registry.auth.Caller;
import dev.providers.registry.auth.CallerResolver;
import dev.providers.registry.identity.Segments;
import dev.providers.registry.problem.ProblemException;
import dev.providers.registry.problem.ProblemType;
import dev.providers.registry.wheel.ProjectName;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * The simple repository API, one index per organization: {@code /simple/{org}/} lists its projects,
 * {@code /simple/{org}/{project}/} the files of one (PEP 503 HTML or PEP 691 JSON by {@code Accept}), and
 * {@code /simple/{org}/{project}/{sha256}/{filename}} is a URL-registered file: a redirect to its recorded
 * {@code wheel_url}, and with {@code .metadata} appended its METADATA file (PEP 658). Names are PEP 503-normalised;
 * another spelling, or a page URL without its trailing slash, is redirected (301).
 */
@Path("/simple")
public class SimpleIndexResource {

    /** PEP 508 names (case-insensitive); anything else is no project. */
    private static final Pattern PROJECT = Pattern.compile("^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$");

    private static final Pattern SHA256 = Pattern.compile("^[0-9a-f]{64}$");
    private static final String METADATA_SUFFIX = ".metadata";

    private final CallerResolver callers;
    private final SimpleIndexService service;
    private final PublicProjectPages publicPages;

    public SimpleIndexResource(CallerResolver callers, SimpleIndexService service, PublicProjectPages publicPages) {
        this.callers = callers;
        this.service = service;
        this.publicPages = publicPages;
    }

    @GET
    @Path("{org}")
    @Operation(summary = "An organization's simple index (PEP 503 HTML or PEP 691 JSON by Accept)")
    @APIResponse(responseCode = "200", description = "the projects the caller may see")
    @APIResponse(responseCode = "301", description = "to the normalised URL with its trailing slash")
    @APIResponse(responseCode = "304", description = "If-None-Match matched the ETag")
    @APIResponse(responseCode = "404", description = "no project visible to the caller")
    @APIResponse(responseCode = "406", description = "none of the offered media types is acceptable")
    public Uni<Response> index(@PathParam("org") String org, @Context HttpServerRequest request) {
        String normalOrg = organization(org);
        if (!normalOrg.equals(org) || !request.path().endsWith("/")) {
            return redirect("/simple/" + normalOrg + "/");
        }
        SimpleFormat format = negotiate(request);
        return callers.current()
                .flatMap(caller -> service.index(normalOrg, caller)
                        .map(projects -> SimplePage.respond(
                                request, format, SimplePages.index(format, normalOrg, projects), isOwnerView(caller))));
    }

    @GET
    @Path("{org}/{project}")
    @Operation(summary = "The files of one project (PEP 503 HTML or PEP 691 JSON by Accept)")
    @APIResponse(responseCode = "200", description = "the files of the project's published and yanked versions")
    @APIResponse(responseCode = "301", description = "to the normalised URL with its trailing slash")
    @APIResponse(responseCode = "304", description = "If-None-Match matched the ETag")
    @APIResponse(responseCode = "404", description = "no such project visible to the caller")
    @APIResponse(responseCode = "406", description = "none of the offered media types is acceptable")
    public Uni<Response> project(
            @PathParam("org") String org, @PathParam("project") String project, @Context HttpServerRequest request) {
        String normalOrg = organization(org);
        String normalProject = project(project);
        if (!normalOrg.equals(org)
                || !normalProject.equals(project)
                || !request.path().endsWith("/")) {
            return redirect("/simple/" + normalOrg + "/" + normalProject + "/");
        }
        SimpleFormat format = negotiate(request);
        return callers.current()
                .flatMap(caller -> caller.isAnonymous()
                        ? publicPages.page(normalOrg, normalProject, format).map(page -> {
                            if (!page.exists()) {
                                throw SimpleIndexService.noProject(normalOrg, normalProject);
                            }
                            return SimplePage.respond(request, format, page, false);
                        })
                        : service.project(normalOrg, normalProject, caller)
                                .map(files -> SimplePage.respond(
                                        request, format, SimplePages.project(format, normalProject, files), true)));
    }

    @GET
    @Path("{org}/{project}/{sha256}/{filename}")
    @Operation(summary = "A URL-registered file: 302 to its wheel_url; with .metadata appended, its METADATA file")
    @APIResponse(responseCode = "200", description = "the METADATA file (PEP 658)")
    @APIResponse(responseCode = "302", description = "to the recorded wheel_url")
    @APIResponse(responseCode = "404", description = "no such file visible to the caller, or it has no METADATA")
    public Uni<Response> file(
            @PathParam("org") String org,
            @PathParam("project") String project,
            @PathParam("sha256") String sha256,
            @PathParam("filename") String filename,
            @Context HttpServerRequest request) {
        String normalOrg = organization(org);
        String normalProject = project(project);
        if (!SHA256.matcher(sha256).matches()) {
            throw notFound("no such file");
        }
        boolean metadata = filename.endsWith(METADATA_SUFFIX);
        String wheel = metadata ? filename.substring(0, filename.length() - METADATA_SUFFIX.length()) : filename;
        return callers.current()
                .flatMap(caller -> service.file(normalOrg, normalProject, sha256, wheel, caller)
                        .map(file -> metadata
                                ? SimplePage.metadata(request, file.coreMetadata(), isOwnerView(caller))
                                : Response.status(Response.Status.FOUND)
                                        .header(HttpHeaders.LOCATION, file.wheelUrl())
                                        .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                                        .build()));
    }

    private static boolean isOwnerView(Caller caller) {
        return !caller.isAnonymous();
    }

    private static SimpleFormat negotiate(HttpServerRequest request) {
        SimpleFormat format = SimpleFormat.negotiate(request.getHeader(HttpHeaders.ACCEPT));
        if (format == null) {
            throw new ProblemException(
                    ProblemType.NOT_ACCEPTABLE,
                    "the simple index is offered as " + SimpleFormat.OFFERED + "; the Accept header allows none",
                    null,
                    java.util.Map.of(HttpHeaders.VARY, HttpHeaders.ACCEPT));
        }
        return format;
    }

    private static Uni<Response> redirect(String location) {
        return Uni.createFrom()
                .item(Response.status(Response.Status.MOVED_PERMANENTLY)
                        .header(HttpHeaders.LOCATION, location)
                        .build());
    }

    /** Whether the page URL names the organization and the project as the index spells them (no redirect). */
    static boolean isNormalised(String org, String project) {
        try {
            return organization(org).equals(org) && project(project).equals(project);
        } catch (ProblemException e) {
            return false;
        }
    }

    private static String organization(String org) {
        try {
            return Segments.normalizeSegment(org);
        } catch (IllegalArgumentException e) {
            throw notFound("no such organization index");
        }
    }

    private static String project(String project) {
        if (!PROJECT.matcher(project).matches()) {
            throw notFound("no such project");
        }
        return ProjectName.normalize(project);
    }

    static ProblemException notFound(String detail) {
        return new ProblemException(ProblemType.NOT_FOUND, detail);
    }
}
