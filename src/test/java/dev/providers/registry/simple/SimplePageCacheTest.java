package dev.providers.registry.simple;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The cache alone: its bounds, least recently read first out, and the stamp that keeps a raced read out. */
class SimplePageCacheTest {

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    private static SimplePageCache.Page page(int bytes) {
        return SimplePage.rendered(new byte[bytes]);
    }

    private static String key(String project) {
        return SimplePageCache.key("acme", project, SimpleFormat.JSON);
    }

    private SimplePageCache listening(long maxBytes, int maxEntries) {
        SimplePageCache cache = new SimplePageCache(true, maxBytes, maxEntries, new SimpleMeterRegistry());
        cache.listening(true);
        return cache;
    }

    @Test
    void nothingIsKeptOrAnsweredUntilTheListenerListens() {
        SimplePageCache cache = new SimplePageCache(true, 1 << 20, 100, metrics);
        assertEquals(SimplePageCache.BYPASSED, cache.stamp());
        cache.put(key("a"), page(10), cache.stamp());
        cache.put(key("a"), page(10), 0);
        assertEquals(0, cache.size());
        cache.listening(true);
        cache.put(key("a"), page(10), cache.stamp());
        assertNotNull(cache.get(key("a")));
        cache.listening(false);
        assertNull(cache.get(key("a")));
        cache.listening(true);
        assertNull(cache.get(key("a")), "a listener that is back starts empty");
        assertEquals(
                1.0,
                metrics.get("registry.simple.cache.reads")
                        .tag("result", "hit")
                        .counter()
                        .count());
        assertEquals(
                1.0,
                metrics.get("registry.simple.cache.reads")
                        .tag("result", "bypassed")
                        .counter()
                        .count());
        assertEquals(
                1.0,
                metrics.get("registry.simple.cache.reads")
                        .tag("result", "miss")
                        .counter()
                        .count());
    }

    @Test
    void aDisabledCacheNeverListens() {
        SimplePageCache cache = new SimplePageCache(false, 1 << 20, 100, metrics);
        cache.listening(true);
        cache.put(key("a"), page(10), cache.stamp());
        assertNull(cache.get(key("a")));
    }

    @Test
    void aReadThatRacedAChangeIsNotKept() {
        SimplePageCache cache = listening(1 << 20, 100);
        long before = cache.stamp();
        cache.changed("other", "project"); // any change: the page read since may be the old one
        cache.put(key("a"), page(10), before);
        assertNull(cache.get(key("a")));
        cache.put(key("a"), page(10), cache.stamp());
        assertNotNull(cache.get(key("a")));
    }

    @Test
    void changesDropBothFormsOfAPageOrEveryPageOfAnOrganization() {
        SimplePageCache cache = listening(1 << 20, 100);
        String json = SimplePageCache.key("acme", "a", SimpleFormat.JSON);
        String html = SimplePageCache.key("acme", "a", SimpleFormat.HTML_V1);
        assertEquals(html, SimplePageCache.key("acme", "a", SimpleFormat.TEXT_HTML), "one HTML body for both types");
        String other = SimplePageCache.key("acme", "b", SimpleFormat.JSON);
        String otherOrg = SimplePageCache.key("acme-corp", "a", SimpleFormat.JSON);
        for (String key : new String[] {json, html, other, otherOrg}) {
            cache.put(key, page(10), cache.stamp());
        }
        cache.changed("acme", "a");
        assertNull(cache.get(json));
        assertNull(cache.get(html));
        assertNotNull(cache.get(other));
        cache.changed("ACME");
        assertNull(cache.get(other));
        assertNotNull(cache.get(otherOrg), "another organization whose name starts the same");
        assertEquals(1, cache.size());
        assertEquals(10 + SimplePageCache.OVERHEAD, cache.bytes());
        cache.clear();
        assertEquals(0, cache.size());
        assertEquals(0, cache.bytes());
    }

    @Test
    void boundedInBytesAndInPagesLeastRecentlyReadFirstOut() {
        SimplePageCache cache = listening(3 * (1000 + SimplePageCache.OVERHEAD), 100);
        cache.put(key("a"), page(1000), cache.stamp());
        cache.put(key("b"), page(1000), cache.stamp());
        cache.put(key("c"), page(1000), cache.stamp());
        assertNotNull(cache.get(key("a"))); // b is now the least recently read
        cache.put(key("d"), page(1000), cache.stamp());
        assertNull(cache.get(key("b")));
        assertNotNull(cache.get(key("a")));
        assertEquals(3, cache.size());
        assertEquals(3 * (1000 + SimplePageCache.OVERHEAD), cache.bytes());
        cache.put(key("huge"), page(4000), cache.stamp());
        assertNull(cache.get(key("huge")), "larger than the whole cache: never kept");
        assertEquals(3, cache.size());

        SimplePageCache few = listening(1 << 20, 2);
        few.put(key("a"), SimplePageCache.ABSENT, few.stamp());
        few.put(key("b"), page(10), few.stamp());
        few.put(key("c"), page(10), few.stamp());
        assertNull(few.get(key("a")));
        assertEquals(2, few.size());
        SimplePageCache.Page replaced = page(20);
        few.put(key("c"), replaced, few.stamp());
        assertSame(replaced, few.get(key("c")));
        assertEquals(10 + SimplePageCache.OVERHEAD + 20 + SimplePageCache.OVERHEAD, few.bytes());
    }
}
