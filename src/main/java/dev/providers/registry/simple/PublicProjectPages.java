package dev.providers.registry.simple;

import dev.providers.registry.auth.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Project pages as anyone sees them (no credentials): from {@link SimplePageCache} when it holds the page, else read
 * with one statement, rendered, and kept. Owners' views never come here.
 */
@ApplicationScoped
public class PublicProjectPages {

    private final SimpleIndexService service;
    private final SimplePageCache cache;

    public PublicProjectPages(SimpleIndexService service, SimplePageCache cache) {
        this.service = service;
        this.cache = cache;
    }

    /** The kept page, or {@code null}. */
    public SimplePageCache.Page cached(String org, String project, SimpleFormat format) {
        return cache.get(SimplePageCache.key(org, project, format));
    }

    /** The page from the database ({@link SimplePageCache#ABSENT} when there is no such public project), kept. */
    public Uni<SimplePageCache.Page> load(String org, String project, SimpleFormat format) {
        long stamp = cache.stamp();
        return service.files(org, project, Caller.ANONYMOUS).map(files -> {
            SimplePageCache.Page page = files.isEmpty()
                    ? SimplePageCache.ABSENT
                    : SimplePage.rendered(SimplePages.project(format, project, files));
            cache.put(SimplePageCache.key(org, project, format), page, stamp);
            return page;
        });
    }

    /** {@link #cached}, else {@link #load}. */
    public Uni<SimplePageCache.Page> page(String org, String project, SimpleFormat format) {
        SimplePageCache.Page cached = cached(org, project, format);
        return cached != null ? Uni.createFrom().item(cached) : load(org, project, format);
    }
}
