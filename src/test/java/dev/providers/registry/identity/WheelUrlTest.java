package dev.providers.registry.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WheelUrlTest {

    private static final String WHL = "pkg-1.0.0-py3-none-any.whl";

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "HTTPS://Files.Example.COM:443/a/./b/../c/pkg-1.0.0-py3-none-any.whl | "
                        + "https://files.example.com/a/c/pkg-1.0.0-py3-none-any.whl",
                "https://files.example.com/pkg-1.0.0-py3-none-any.whl | https://files.example.com/pkg-1.0.0-py3-none-any.whl",
                "hTTpS://h.example/x.whl | https://h.example/x.whl",
                "https://h.example/%7euser/x.whl | https://h.example/~user/x.whl",
                "https://h.example/%7Euser/x.whl | https://h.example/~user/x.whl",
                "https://h.example/a%2fb/x.whl | https://h.example/a%2Fb/x.whl",
                "https://h.example/a%2Fb/x.whl | https://h.example/a%2Fb/x.whl",
                "https://h.example/%41%62%30%2D%2E%5F%7E.whl | https://h.example/Ab0-._~.whl",
                "https://h.example/a%20b/x.whl | https://h.example/a%20b/x.whl",
                "https://h.example/a%c3%a9/x.whl | https://h.example/a%C3%A9/x.whl",
                "https://h.example/a\u00e9/x.whl | https://h.example/a%C3%A9/x.whl",
                "https://h.example/\ud83d\ude00/x.whl | https://h.example/%F0%9F%98%80/x.whl",
                "https://b\u00fccher.example/x.whl | https://xn--bcher-kva.example/x.whl",
                "https://B\u00dcCHER.example/x.whl | https://xn--bcher-kva.example/x.whl",
                "https://xn--bcher-kva.example/x.whl | https://xn--bcher-kva.example/x.whl",
                "https://files.example.com./x.whl | https://files.example.com/x.whl",
                "https://files.example.com.:443/x.whl | https://files.example.com/x.whl",
                "https://files.example.com:8443/x.whl | https://files.example.com:8443/x.whl",
                "https://files.example.com:0443/x.whl | https://files.example.com/x.whl",
                "https://files.example.com:1/x.whl | https://files.example.com:1/x.whl",
                "https://files.example.com:65535/x.whl | https://files.example.com:65535/x.whl",
                "https://[::1]/x.whl | https://[::1]/x.whl",
                "https://[2001:DB8::A]:443/x.whl | https://[2001:db8::a]/x.whl",
                "https://[::FFFF:1.2.3.4]:8443/x.whl | https://[::ffff:1.2.3.4]:8443/x.whl",
                "https://10.1.2.3/x.whl | https://10.1.2.3/x.whl",
                "https://h.example/a/b/c/./../../g.whl | https://h.example/a/g.whl",
                "https://h.example/../../x.whl | https://h.example/x.whl",
                "https://h.example/a/%2E%2E/x.whl | https://h.example/x.whl",
                "https://h.example/a/%2e/x.whl | https://h.example/a/x.whl",
                "https://h.example/a//x.whl | https://h.example/a//x.whl",
                "https://h.example/a/.../x.whl | https://h.example/a/.../x.whl",
                "https://h.example/mid/content=5/../6.whl | https://h.example/mid/6.whl",
                "https://h.example/a:b@c!$&'()*+,;=/x.whl | https://h.example/a:b@c!$&'()*+,;=/x.whl",
            })
    void normalizes(String raw, String expected) {
        WheelUrl url = WheelUrl.normalize(raw);
        assertEquals(expected, url.value());
        assertEquals(expected, url.toString());
        assertEquals(url, WheelUrl.normalize(expected), "normal form is a fixed point");
        assertEquals(expected, WheelUrl.normalize(expected).value());
    }

    @Test
    void components() {
        WheelUrl url = WheelUrl.normalize("HTTPS://Files.Example.COM:443/a/./b/../c/" + WHL);
        assertEquals("files.example.com", url.host());
        assertEquals(443, url.port());
        assertEquals("/a/c/" + WHL, url.pathAndRest());
        assertEquals(WHL, url.fileName());

        WheelUrl v6 = WheelUrl.normalize("https://[FD00::1]:8443/w/" + WHL);
        assertEquals("fd00::1", v6.host());
        assertEquals(8443, v6.port());
        assertEquals("https://[fd00::1]:8443/w/" + WHL, v6.value());

        WheelUrl dotted = WheelUrl.normalize("https://Files.Example.com./" + WHL);
        assertEquals("files.example.com", dotted.host());

        WheelUrl idn = WheelUrl.normalize("https://b\u00fccher.example/x.whl");
        assertEquals("xn--bcher-kva.example", idn.host());
    }

    @Test
    void fileNameIsPercentDecoded() {
        assertEquals(
                "a b.whl", WheelUrl.normalize("https://h.example/a%20b.whl").fileName());
        assertEquals(
                "caf\u00e9.whl",
                WheelUrl.normalize("https://h.example/caf%C3%A9.whl").fileName());
        assertEquals(
                "caf\u00e9.whl",
                WheelUrl.normalize("https://h.example/caf\u00e9.whl").fileName());
        assertEquals(
                "a/b.whl", WheelUrl.normalize("https://h.example/a%2Fb.whl").fileName());
        assertEquals(
                "pkg-1.0.0+local-py3-none-any.whl",
                WheelUrl.normalize("https://h.example/d/pkg-1.0.0%2Blocal-py3-none-any.whl")
                        .fileName());
        assertEquals(
                "/d/pkg-1.0.0%2Blocal-py3-none-any.whl",
                WheelUrl.normalize("https://h.example/d/pkg-1.0.0%2blocal-py3-none-any.whl")
                        .pathAndRest());
        assertEquals("~x.whl", WheelUrl.normalize("https://h.example/%7Ex.whl").fileName());
    }

    @Test
    void fileNameMustBeUtf8() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> WheelUrl.normalize("https://h.example/%FF.whl"));
        assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
        // directories may hold any bytes; only the file name is decoded
        assertEquals(
                "/%FF/x.whl", WheelUrl.normalize("https://h.example/%ff/x.whl").pathAndRest());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "http://h.example/x.whl | wheel_url must use https, got 'http'",
                "HTTP://h.example/x.whl | wheel_url must use https, got 'http'",
                "ftp://h.example/x.whl | wheel_url must use https, got 'ftp'",
                "file:///etc/x.whl | wheel_url must use https, got 'file'",
                "https://user@h.example/x.whl | wheel_url must not contain user info",
                "https://user:pw@h.example/x.whl | wheel_url must not contain user info",
                "https://@h.example/x.whl | wheel_url must not contain user info",
                "https://h.example/x.whl? | wheel_url must not contain a query: signed or expiring URLs cannot serve runtimes later",
                "https://h.example/x.whl?X-Amz-Signature=abc | wheel_url must not contain a query: signed or expiring URLs cannot"
                        + " serve runtimes later",
                "https://h.example?x.whl | wheel_url must not contain a query: signed or expiring URLs cannot serve runtimes later",
                "https://h.example/x.whl# | wheel_url must not contain a fragment",
                "https://h.example/x.whl#frag | wheel_url must not contain a fragment",
                "https://h.example/x.whl#a?b | wheel_url must not contain a fragment",
                "https:///x.whl | wheel_url must have a host: https://host/path/file.whl",
                "https://:443/x.whl | wheel_url must have a host: https://host/path/file.whl",
                "https:/h.example/x.whl | wheel_url must have a host: https://host/path/file.whl",
                "https:h.example/x.whl | wheel_url must have a host: https://host/path/file.whl",
                "https://h.example/ | wheel_url must end with a wheel file name",
                "https://h.example | wheel_url must end with a wheel file name",
                "https://h.example/dir/ | wheel_url must end with a wheel file name",
                "https://h.example/x.whl/.. | wheel_url must end with a wheel file name",
                "https://h.example/x.whl/. | wheel_url must end with a wheel file name",
                "https://h.example:0/x.whl | wheel_url port must be a number from 1 to 65535, got '0'",
                "https://h.example:65536/x.whl | wheel_url port must be a number from 1 to 65535, got '65536'",
                "https://h.example:/x.whl | wheel_url port must be a number from 1 to 65535, got ''",
                "https://h.example:-1/x.whl | wheel_url port must be a number from 1 to 65535, got '-1'",
                "https://h.example:443:443/x.whl | wheel_url port must be a number from 1 to 65535, got '443:443'",
                "https://h.example:99999999999/x.whl | wheel_url port must be a number from 1 to 65535, got '99999999999'",
                "https://h.example/%zz.whl | wheel_url contains an invalid percent escape '%zz'",
                "https://h.example/x%4 | wheel_url contains an invalid percent escape '%4'",
                "https://h.example/x.whl% | wheel_url contains an invalid percent escape '%'",
                "https://h.example/%\u0661\u0662.whl | wheel_url contains an invalid percent escape '%\u0661\u0662'",
                "//h.example/x.whl | wheel_url must be an absolute URL such as https://files.example.com/pkg-1.0.0-py3-none-any.whl",
                "/x.whl | wheel_url must be an absolute URL such as https://files.example.com/pkg-1.0.0-py3-none-any.whl",
                "h.example/x.whl | wheel_url must be an absolute URL such as https://files.example.com/pkg-1.0.0-py3-none-any.whl",
                "1https://h.example/x.whl | wheel_url must be an absolute URL such as https://files.example.com/pkg-1.0.0-py3-none-any.whl",
                "https://h.example/a b.whl | wheel_url path contains ' ', which must be percent-encoded",
                "https://h.example/a\\b.whl | wheel_url path contains '\\', which must be percent-encoded",
                "https://h.example/a<b.whl | wheel_url path contains '<', which must be percent-encoded",
                "https://h.example/a\"b.whl | wheel_url path contains '\"', which must be percent-encoded",
                "https://h.example/a[b.whl | wheel_url path contains '[', which must be percent-encoded",
            })
    void rejectsWithMessage(String raw, String message) {
        assertEquals(
                message,
                assertThrows(IllegalArgumentException.class, () -> WheelUrl.normalize(raw))
                        .getMessage());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://h_x.example/x.whl", "https://-h.example/x.whl", "https://h-.example/x.whl",
                        "https://a..b/x.whl",
                "https://.h.example/x.whl", "https://h.example../x.whl", "https://./x.whl", "https://h%2eexample/x.whl",
                "https://h example/x.whl", "https://h*.example/x.whl", "https://[::1/x.whl", "https://[::1]x/x.whl",
                "https://[::g]/x.whl", "https://[1:2:3:4:5:6:7:8:9]/x.whl", "https://[v1.abc]/x.whl",
                        "https://[]/x.whl",
                "https://[::1%25eth0]/x.whl", "https://[.::1]/x.whl", "https://[1.2.3.4]/x.whl", "https://::1/x.whl",
                "https://127.1/x.whl", "https://0x7f000001/x.whl", "https://0x7f.0.0.1/x.whl",
                        "https://2130706433/x.whl",
                "https://127.0.0.01/x.whl", "https://256.0.0.1/x.whl", "https://1.2.3.4.5/x.whl",
                        "https://example.123/x.whl",
                "https://\u200b/x.whl",
                        "https://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example/x.whl",
            })
    void rejectsBadHosts(String raw) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WheelUrl.normalize(raw));
        assertTrue(e.getMessage().startsWith("wheel_url "), e.getMessage());
        assertTrue(e.getMessage().contains("host"), e.getMessage());
    }

    @Test
    void rejectsOverlongHost() {
        String host = String.join(".", java.util.Collections.nCopies(51, "abcd")); // 254 characters
        assertEquals(254, host.length());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> WheelUrl.normalize("https://" + host + "/x.whl"));
        assertTrue(e.getMessage().contains("longer than 253"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(chars = {'\r', '\n', '\u0000', '\t', '\u001f', '\u007f'})
    void rejectsControlCharacters(char c) {
        for (String raw : new String[] {
            "https://h.example/x" + c + ".whl",
            c + "https://h.example/x.whl",
            "https://h.example/x.whl" + c,
            "https://h" + c + ".example/x.whl",
        }) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WheelUrl.normalize(raw));
            assertTrue(e.getMessage().startsWith("wheel_url must not contain control characters"), e.getMessage());
            assertTrue(e.getMessage().contains(String.format("U+%04X", (int) c)), e.getMessage());
        }
    }

    @Test
    void headerInjectionIsRejected() {
        assertThrows(
                IllegalArgumentException.class,
                () -> WheelUrl.normalize("https://h.example/x.whl\r\nHost: evil.example"));
        assertThrows(
                IllegalArgumentException.class, () -> WheelUrl.normalize("https://h.example/x.whl HTTP/1.1\r\nX: y"));
    }

    @Test
    void lengthLimit() {
        String prefix = "https://h.example/";
        String ok = prefix + "a".repeat(2048 - prefix.length() - 4) + ".whl";
        assertEquals(2048, ok.length());
        assertEquals(ok, WheelUrl.normalize(ok).value());
        String tooLong = prefix + "a".repeat(2049 - prefix.length() - 4) + ".whl";
        assertEquals(2049, tooLong.length());
        assertEquals(
                "wheel_url is longer than 2048 characters",
                assertThrows(IllegalArgumentException.class, () -> WheelUrl.normalize(tooLong))
                        .getMessage());
        // within the limit as given, beyond it once non-ASCII is percent-encoded
        String grows = prefix + "\u00e9".repeat(1000) + ".whl";
        assertTrue(grows.length() <= 2048);
        assertEquals(
                "wheel_url is longer than 2048 characters once normalised",
                assertThrows(IllegalArgumentException.class, () -> WheelUrl.normalize(grows))
                        .getMessage());
    }

    @Test
    void rejectsNullAndEmpty() {
        assertEquals(
                "wheel_url is required",
                assertThrows(IllegalArgumentException.class, () -> WheelUrl.normalize(null))
                        .getMessage());
        assertEquals(
                "wheel_url is required",
                assertThrows(IllegalArgumentException.class, () -> WheelUrl.normalize(""))
                        .getMessage());
    }

    @Test
    void rejectsUnpairedSurrogate() {
        assertThrows(IllegalArgumentException.class, () -> WheelUrl.normalize("https://h.example/\ud83d/x.whl"));
    }

    @Test
    void equalityIsOnNormalForm() {
        assertEquals(
                WheelUrl.normalize("https://H.example/%7e/x.whl"), WheelUrl.normalize("https://h.example:443/~/x.whl"));
        assertEquals(
                WheelUrl.normalize("https://H.example/%7e/x.whl").hashCode(),
                WheelUrl.normalize("https://h.example:443/~/x.whl").hashCode());
        assertNotEquals(
                WheelUrl.normalize("https://h.example/a/x.whl"), WheelUrl.normalize("https://h.example/A/x.whl"));
        assertNotEquals(
                WheelUrl.normalize("https://h.example/x.whl"), WheelUrl.normalize("https://h.example:8443/x.whl"));
    }

    @ParameterizedTest
    @CsvSource({
        "https://h.example/a/b/x.whl, https://cdn.example/y.whl, https://cdn.example/y.whl",
        "https://h.example/a/b/x.whl, HTTPS://CDN.example:443/./y.whl, https://cdn.example/y.whl",
        "https://h.example/a/b/x.whl, //cdn.example/y.whl, https://cdn.example/y.whl",
        "https://h.example/a/b/x.whl, /y.whl, https://h.example/y.whl",
        "https://h.example:8443/a/b/x.whl, /y.whl, https://h.example:8443/y.whl",
        "https://h.example/a/b/x.whl, y.whl, https://h.example/a/b/y.whl",
        "https://h.example/a/b/x.whl, ./y.whl, https://h.example/a/b/y.whl",
        "https://h.example/a/b/x.whl, ../y.whl, https://h.example/a/y.whl",
        "https://h.example/a/b/x.whl, ../../../../y.whl, https://h.example/y.whl",
        "https://h.example/a/b/x.whl, c/y.whl, https://h.example/a/b/c/y.whl",
        "https://h.example/x.whl, y%7e.whl, https://h.example/y~.whl",
        "https://[::1]:8443/a/x.whl, y.whl, https://[::1]:8443/a/y.whl",
        "https://[::1]/a/x.whl, /y.whl, https://[::1]/y.whl",
    })
    void resolvesRedirects(String base, String location, String expected) {
        assertEquals(
                expected,
                WheelUrl.resolveRedirect(WheelUrl.normalize(base), location).value());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://h.example/x.whl",
                "//user@h.example/x.whl",
                "/x.whl?sig=1",
                "?sig=1",
                "#f",
                "y.whl#f",
                "",
                "/",
                "../",
                "https://h.example/a b.whl",
                "/x.whl\r\nX: y",
                "ftp://h.example/x.whl",
                "https:///x.whl",
            })
    void rejectsBadRedirects(String location) {
        WheelUrl base = WheelUrl.normalize("https://h.example/a/b/x.whl");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> WheelUrl.resolveRedirect(base, location));
        assertTrue(e.getMessage().startsWith("redirect"), e.getMessage());
    }

    @Test
    void httpRedirectMessageMentionsHttps() {
        WheelUrl base = WheelUrl.normalize("https://h.example/x.whl");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> WheelUrl.resolveRedirect(base, "http://h.example/x.whl"));
        assertEquals("redirect target is not acceptable: wheel_url must use https, got 'http'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WheelUrl.resolveRedirect(base, null));
    }

    @ParameterizedTest
    @CsvSource({
        "/a/b/c/./../../g, /a/g",
        "mid/content=5/../6, mid/6",
        "/., /",
        "/.., /",
        "/a/.., /",
        "/a/b/.., /a/",
        "/a/./b, /a/b",
        "/a/../../b, /b",
        "/a/b/./, /a/b/",
        "'', ''",
        "/, /",
        "/a//../b, /a/b",
        "/..., /...",
        "/.a/..b/, /.a/..b/",
    })
    void removeDotSegments(String in, String out) {
        assertEquals(out, WheelUrl.removeDotSegments(in));
    }
}
