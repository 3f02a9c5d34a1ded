package dev.providers.registry.simple;

import dev.providers.registry.config.RegistryConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The anonymous view of project pages, rendered: bytes and ETag per page and form, or the answer that there is no
 * such project. Bounded in pages and bytes, least recently read first out.
 *
 * <p>Used only while {@link SimplePageListener} listens to PostgreSQL's announcements of changed pages; otherwise
 * empty and bypassed. A page read from the database is stored only if nothing was dropped since its read began
 * ({@link #stamp()}): a read that raced a change never stores the page as it was before.
 */
@ApplicationScoped
public class SimplePageCache {

    /** A page as answered: its bytes and strong ETag, or {@link #ABSENT}. */
    public record Page(byte[] body, String etag) {
        long weight() {
            return (body == null ? 0 : body.length) + OVERHEAD;
        }

        boolean exists() {
            return body != null;
        }
    }

    /** What a kept page costs besides its bytes: its key, its ETag, the map entry, object headers. */
    static final long OVERHEAD = 256;

    /** No such project (visible to everyone): a 404. */
    public static final Page ABSENT = new Page(null, null);

    /** What {@link #stamp()} answers while the cache is bypassed. */
    static final long BYPASSED = -1;

    private final boolean enabled;
    private final long maxBytes;
    private final int maxEntries;
    private final LinkedHashMap<String, Page> pages = new LinkedHashMap<>(256, 0.75f, true);
    private final Counter hits;
    private final Counter misses;
    private final Counter bypassed;
    private long bytes;
    private long generation;
    private boolean listening;

    @Inject
    public SimplePageCache(RegistryConfig config, MeterRegistry metrics) {
        this(
                config.simple().cache().enabled(),
                config.simple()
                        .cache()
                        .maxBytes()
                        .map(MemorySize::asLongValue)
                        .orElse(Runtime.getRuntime().maxMemory() / 10),
                config.simple().cache().maxEntries(),
                metrics);
    }

    SimplePageCache(boolean enabled, long maxBytes, int maxEntries, MeterRegistry metrics) {
        this.enabled = enabled;
        this.maxBytes = maxBytes;
        this.maxEntries = maxEntries;
        this.hits = metrics.counter("registry.simple.cache.reads", "result", "hit");
        this.misses = metrics.counter("registry.simple.cache.reads", "result", "miss");
        this.bypassed = metrics.counter("registry.simple.cache.reads", "result", "bypassed");
        Gauge.builder("registry.simple.cache.bytes", this, SimplePageCache::bytes)
                .register(metrics);
        Gauge.builder("registry.simple.cache.pages", this, SimplePageCache::size)
                .register(metrics);
    }

    public boolean enabled() {
        return enabled;
    }

    static String key(String org, String project, SimpleFormat format) {
        return org + '/' + project + (format.isJson() ? "/json" : "/html");
    }

    /** The page, or {@code null} (not kept, or the cache is bypassed). */
    public Page get(String key) {
        Page page;
        boolean used;
        synchronized (this) {
            used = listening;
            page = used ? pages.get(key) : null;
        }
        (page != null ? hits : used ? misses : bypassed).increment();
        return page;
    }

    /** Taken before a page is read from the database, and given back to {@link #put}. */
    public synchronized long stamp() {
        return listening ? generation : BYPASSED;
    }

    /** Keeps the page, unless the cache is bypassed or a page was dropped since {@code stamp} was taken. */
    public synchronized void put(String key, Page page, long stamp) {
        if (!listening || stamp != generation || page.weight() > maxBytes) {
            return;
        }
        Page previous = pages.put(key, page);
        bytes += page.weight() - (previous == null ? 0 : previous.weight());
        Iterator<Map.Entry<String, Page>> eldest = pages.entrySet().iterator();
        while ((bytes > maxBytes || pages.size() > maxEntries) && eldest.hasNext()) {
            bytes -= eldest.next().getValue().weight();
            eldest.remove();
        }
    }

    /** The page {@code /simple/{prefix}/{distribution}/} changed (both forms). */
    public synchronized void changed(String prefix, String distribution) {
        generation++;
        for (SimpleFormat format : new SimpleFormat[] {SimpleFormat.JSON, SimpleFormat.TEXT_HTML}) {
            Page previous = pages.remove(key(prefix, distribution, format));
            if (previous != null) {
                bytes -= previous.weight();
            }
        }
    }

    /**
     * A write of this instance to the organization's catalog: once it has ended (committed or not), the
     * organization's pages are dropped, so that the next read here sees it without waiting for the database's
     * announcement, which reaches the other instances.
     */
    public <T> Uni<T> afterWrite(String prefix, Uni<T> write) {
        return write.onTermination().invoke(() -> changed(prefix));
    }

    /** Some pages of the organization changed. */
    public synchronized void changed(String prefix) {
        generation++;
        String start = prefix.toLowerCase(Locale.ROOT) + '/';
        Iterator<Map.Entry<String, Page>> all = pages.entrySet().iterator();
        while (all.hasNext()) {
            Map.Entry<String, Page> entry = all.next();
            if (entry.getKey().startsWith(start)) {
                bytes -= entry.getValue().weight();
                all.remove();
            }
        }
    }

    /** Any page may have changed. */
    public synchronized void clear() {
        generation++;
        pages.clear();
        bytes = 0;
    }

    /** Empties the cache; it is used from now on only if {@code listening} (and enabled). */
    public synchronized void listening(boolean listening) {
        clear();
        this.listening = listening && enabled;
    }

    public synchronized boolean listening() {
        return listening;
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized int size() {
        return pages.size();
    }
}
