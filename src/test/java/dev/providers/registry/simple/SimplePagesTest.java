package dev.providers.registry.simple;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.providers.registry.wheel.ProjectName;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Names, negotiation and both page forms, without a server. */
class SimplePagesTest {

    private static final String SHA = "ab".repeat(32);
    private static final String META_SHA = "cd".repeat(32);
    private static final SimpleFile PLAIN = new SimpleFile(
            "acme_demo-1.0.0-py3-none-any.whl", "/simple/acme/acme-demo/x/f.whl", SHA, null, false, null, null);
    private static final SimpleFile YANKED = new SimpleFile(
            "acme_demo-1.1.0-py3-none-any.whl",
            "https://wheels.example/a?x=1&y=<2>",
            SHA,
            ">=3.8,<4",
            true,
            "<script>alert('x')</script> & \"more\"",
            META_SHA);

    @ParameterizedTest
    @CsvSource({
        "acme-demo,acme-demo",
        "Acme_Demo,acme-demo",
        "acme.demo,acme-demo",
        "ACME--__..demo,acme-demo",
        "a_b-c.d,a-b-c-d",
        "friendly-bard,friendly-bard",
        "Friendly.Bard,friendly-bard",
        "FRIENDLY-BARD,friendly-bard",
        "friendly_bard,friendly-bard",
        "friendly--bard,friendly-bard",
        "FrIeNdLy-._.-bArD,friendly-bard"
    })
    void projectNamesArePep503Normalised(String raw, String normal) {
        assertEquals(normal, ProjectName.normalize(raw));
        assertTrue(ProjectName.isNormalized(normal));
        assertEquals(raw.equals(normal), ProjectName.isNormalized(raw));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // pip's own header
                "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01|JSON",
                "application/vnd.pypi.simple.v1+html|HTML_V1",
                "application/vnd.pypi.simple.latest+json|JSON",
                "application/vnd.pypi.simple.latest+html|HTML_V1",
                "text/html|TEXT_HTML",
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8|TEXT_HTML",
                "*/*|TEXT_HTML",
                "text/*|TEXT_HTML",
                "application/vnd.pypi.simple.v1+json;q=0.2, text/html;q=0.5|TEXT_HTML",
                "application/vnd.pypi.simple.v1+json, */*;q=0|JSON",
                "text/html;q=0, */*|HTML_V1",
                "TEXT/HTML|TEXT_HTML"
            })
    void acceptPicksTheBestOffer(String accept, SimpleFormat expected) {
        assertEquals(expected, SimpleFormat.negotiate(accept));
    }

    @Test
    void noAcceptIsHtmlAndNothingAcceptableIsNull() {
        assertEquals(SimpleFormat.TEXT_HTML, SimpleFormat.negotiate(null));
        assertEquals(SimpleFormat.TEXT_HTML, SimpleFormat.negotiate(""));
        assertNull(SimpleFormat.negotiate("application/json"));
        assertNull(SimpleFormat.negotiate("application/vnd.pypi.simple.v2+json"));
        assertNull(SimpleFormat.negotiate("text/html;q=0"));
        assertNull(SimpleFormat.negotiate("text/html;q=banana"));
        assertNull(SimpleFormat.negotiate(",,;;"));
    }

    @Test
    void everyNameAndReasonIsTextInHtml() {
        String html = new String(
                SimplePages.project(SimpleFormat.TEXT_HTML, "acme-demo", List.of(PLAIN, YANKED)),
                StandardCharsets.UTF_8);
        assertFalse(html.contains("<script>"), html);
        assertTrue(
                html.contains(
                        " data-yanked=\"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;more&quot;\""),
                html);
        assertTrue(html.contains("href=\"https://wheels.example/a?x=1&amp;y=&lt;2&gt;#sha256=" + SHA + "\""), html);
        assertTrue(html.contains(" data-requires-python=\"&gt;=3.8,&lt;4\""), html);
        assertTrue(html.contains(" data-core-metadata=\"sha256=" + META_SHA + "\""), html);
        assertTrue(html.contains(" data-dist-info-metadata=\"sha256=" + META_SHA + "\""), html);
        assertTrue(html.contains(">acme_demo-1.1.0-py3-none-any.whl</a>"), html);
        assertTrue(html.contains("<meta name=\"pypi:repository-version\" content=\"1.0\">"), html);
        // the file without yank, metadata or Requires-Python carries none of their attributes
        String plainLine = html.lines()
                .filter(l -> l.contains("acme_demo-1.0.0"))
                .findFirst()
                .orElseThrow();
        assertEquals(
                "<a href=\"/simple/acme/acme-demo/x/f.whl#sha256=" + SHA
                        + "\">acme_demo-1.0.0-py3-none-any.whl</a><br>",
                plainLine);
        String index = new String(
                SimplePages.index(SimpleFormat.TEXT_HTML, "o\"rg", List.of("a<b", "c")), StandardCharsets.UTF_8);
        assertTrue(index.contains("<a href=\"a&lt;b/\">a&lt;b</a>"), index);
        assertTrue(index.contains("<title>Simple index of o&quot;rg</title>"), index);
    }

    @Test
    void yankedWithoutReasonIsAnEmptyAttribute() {
        SimpleFile file = new SimpleFile("a-1-py3-none-any.whl", "/f", SHA, null, true, null, null);
        String html = new String(SimplePages.project(SimpleFormat.HTML_V1, "a", List.of(file)), StandardCharsets.UTF_8);
        assertTrue(html.contains(" data-yanked=\"\">"), html);
    }

    @Test
    void projectJsonHasThePep691Shape() throws Exception {
        JsonNode page = new ObjectMapper()
                .readTree(SimplePages.project(
                        SimpleFormat.JSON,
                        "acme-demo",
                        List.of(
                                PLAIN,
                                YANKED,
                                new SimpleFile("b-2-py3-none-any.whl", "/g", SHA, null, true, "", null))));
        assertEquals(Set.of("meta", "name", "files"), keys(page));
        assertEquals("1.0", page.get("meta").get("api-version").asText());
        assertEquals("acme-demo", page.get("name").asText());
        assertEquals(3, page.get("files").size());

        JsonNode plain = page.get("files").get(0);
        assertEquals(Set.of("filename", "url", "hashes", "core-metadata", "dist-info-metadata", "yanked"), keys(plain));
        assertEquals("acme_demo-1.0.0-py3-none-any.whl", plain.get("filename").asText());
        assertEquals("/simple/acme/acme-demo/x/f.whl", plain.get("url").asText());
        assertEquals(SHA, plain.get("hashes").get("sha256").asText());
        assertTrue(plain.get("yanked").isBoolean());
        assertFalse(plain.get("yanked").asBoolean());
        assertTrue(plain.get("core-metadata").isBoolean());
        assertFalse(plain.get("core-metadata").asBoolean());

        JsonNode yanked = page.get("files").get(1);
        assertEquals(
                "<script>alert('x')</script> & \"more\"", yanked.get("yanked").asText());
        assertEquals(">=3.8,<4", yanked.get("requires-python").asText());
        assertEquals(META_SHA, yanked.get("core-metadata").get("sha256").asText());
        assertEquals(META_SHA, yanked.get("dist-info-metadata").get("sha256").asText());
        assertEquals("https://wheels.example/a?x=1&y=<2>", yanked.get("url").asText());

        JsonNode noReason = page.get("files").get(2);
        assertTrue(noReason.get("yanked").isBoolean());
        assertTrue(noReason.get("yanked").asBoolean());
    }

    @Test
    void indexJsonHasThePep691Shape() throws Exception {
        JsonNode index = new ObjectMapper().readTree(SimplePages.index(SimpleFormat.JSON, "acme", List.of("a", "b-c")));
        assertEquals(Set.of("meta", "projects"), keys(index));
        assertEquals("1.0", index.get("meta").get("api-version").asText());
        assertEquals(2, index.get("projects").size());
        assertEquals(Set.of("name"), keys(index.get("projects").get(0)));
        assertEquals("b-c", index.get("projects").get(1).get("name").asText());
    }

    @Test
    void contentTypes() {
        assertEquals("application/vnd.pypi.simple.v1+json", SimpleFormat.JSON.contentType());
        assertEquals("application/vnd.pypi.simple.v1+html; charset=utf-8", SimpleFormat.HTML_V1.contentType());
        assertEquals("text/html; charset=utf-8", SimpleFormat.TEXT_HTML.contentType());
    }

    private static Set<String> keys(JsonNode node) {
        Set<String> keys = new TreeSet<>();
        Iterator<String> names = node.fieldNames();
        names.forEachRemaining(keys::add);
        return keys;
    }
}
