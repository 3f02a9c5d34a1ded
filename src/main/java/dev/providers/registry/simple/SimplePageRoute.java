package dev.providers.registry.simple;

import dev.providers.registry.http.CachedJson;
import dev.providers.registry.http.RouteAnswers;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code GET /simple/{org}/{project}/} without credentials, the request pip and uv send most: a Vert.x route of its
 * own in front of {@link SimpleIndexResource}, answering from {@link PublicProjectPages} with the same bytes and
 * headers, without the REST layer's work per request. Every other request of the path goes on to the resource,
 * which answers it as before: one with an {@code Authorization} header (owners' views, invalid tokens), a name that
 * redirects to its normalised spelling, an {@code Accept} that allows no form (406), and {@code HEAD}.
 */
@ApplicationScoped
public class SimplePageRoute {

    /** Where the upload and download routes are: after Quarkus's filters, before the REST layer. */
    static final int ORDER = -50;

    private final PublicProjectPages pages;
    private final RouteAnswers answers;
    private volatile Negotiated lastAccept;

    public SimplePageRoute(PublicProjectPages pages, RouteAnswers answers) {
        this.pages = pages;
        this.answers = answers;
    }

    void register(@Observes Router router) {
        router.routeWithRegex(HttpMethod.GET, "/simple/([^/]+)/([^/]+)/")
                .order(ORDER)
                .handler(this::handle);
    }

    private void handle(RoutingContext rc) {
        String org = rc.pathParam("param0");
        String project = rc.pathParam("param1");
        SimpleFormat format = negotiate(rc.request().getHeader(HttpHeaders.ACCEPT));
        if (rc.request().headers().contains(HttpHeaders.AUTHORIZATION)
                || format == null
                || org == null
                || project == null) {
            rc.next();
            return;
        }
        // only pages of normalised names are kept: a kept one needs no check
        SimplePageCache.Page cached = pages.cached(org, project, format);
        if (cached != null) {
            answer(rc, format, org, project, cached);
            return;
        }
        if (!SimpleIndexResource.isNormalised(org, project)) {
            rc.next();
            return;
        }
        pages.load(org, project, format)
                .subscribe()
                .with(page -> answer(rc, format, org, project, page), failure -> answers.failure(rc, failure, false));
    }

    /** pip and uv send one {@code Accept} header, the same on every request: the last choice is remembered. */
    private SimpleFormat negotiate(String accept) {
        Negotiated last = lastAccept;
        if (last != null && last.accept().equals(accept)) {
            return last.format();
        }
        SimpleFormat format = SimpleFormat.negotiate(accept);
        if (accept != null) {
            lastAccept = new Negotiated(accept, format);
        }
        return format;
    }

    private record Negotiated(String accept, SimpleFormat format) {}

    private void answer(RoutingContext rc, SimpleFormat format, String org, String project, SimplePageCache.Page page) {
        if (!page.exists()) {
            answers.problem(rc, SimpleIndexService.noProject(org, project), false);
            return;
        }
        HttpServerResponse response = rc.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.putHeader(HttpHeaders.CACHE_CONTROL, SimplePage.PUBLIC)
                .putHeader(HttpHeaders.ETAG, page.etag())
                .putHeader(HttpHeaders.VARY, SimplePage.VARY);
        if (CachedJson.matches(rc.request().getHeader(HttpHeaders.IF_NONE_MATCH), page.etag())) {
            response.setStatusCode(304).end();
        } else {
            response.putHeader(HttpHeaders.CONTENT_TYPE, format.contentType()).end(Buffer.buffer(page.body()));
        }
    }
}
