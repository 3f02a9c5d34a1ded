package dev.providers.registry.http;

import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One spelling for every response header name, whoever set it: Vert.x and Netty add {@code content-length} and
 * {@code connection} in lower case, Vert.x's {@code HttpHeaders} constants are lower case, Quarkus REST and our own
 * code use {@code Content-Type}. Names are capitalised per hyphen-separated word ({@code Content-Type},
 * {@code X-Request-Id}, {@code Access-Control-Allow-Origin}), except the two whose established spelling differs.
 */
final class HeaderSpelling {

    private static final Map<String, String> EXCEPTIONS =
            Map.of("etag", "ETag", "www-authenticate", "WWW-Authenticate");

    private HeaderSpelling() {}

    static String of(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        String exception = EXCEPTIONS.get(lower);
        if (exception != null) {
            return exception;
        }
        char[] chars = lower.toCharArray();
        boolean wordStart = true;
        for (int i = 0; i < chars.length; i++) {
            if (wordStart) {
                chars[i] = Character.toUpperCase(chars[i]);
            }
            wordStart = chars[i] == '-';
        }
        return new String(chars);
    }

    /** Renames, in place, every header whose name is not spelled the one way; values and their order are kept. */
    static void apply(MultiMap headers) {
        List<String> misspelled = null;
        for (Map.Entry<String, String> header : headers) {
            String name = header.getKey();
            if (!of(name).equals(name)) {
                if (misspelled == null) {
                    misspelled = new ArrayList<>(2);
                }
                misspelled.add(name);
            }
        }
        if (misspelled == null) {
            return;
        }
        for (String name : misspelled) {
            List<String> values = headers.getAll(name); // case-insensitive: every spelling of this name
            if (!values.isEmpty()) {
                headers.remove(name);
                headers.add(of(name), values);
            }
        }
    }
}
