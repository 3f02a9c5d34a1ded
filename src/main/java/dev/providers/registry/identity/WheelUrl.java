package dev.providers.registry.identity;

import java.io.ByteArrayOutputStream;
import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A wheel download URL in normal form: {@code https}, lower-case ASCII host (IDN to punycode, no trailing
 * dot), no default port, no user info, no query, no fragment, dot segments removed, percent escapes
 * upper-cased, unreserved characters decoded, non-ASCII path characters percent-encoded as UTF-8.
 *
 * <p>Two URLs that differ only in those respects normalise to the same {@link #value()}.
 */
public final class WheelUrl {

    public static final int MAX_LENGTH = 2048;
    private static final int DEFAULT_PORT = 443;
    private static final String HEX = "0123456789ABCDEF";

    private final String value;
    private final String host;
    private final int port;
    private final String path;
    private final String fileName;

    private WheelUrl(String value, String host, int port, String path, String fileName) {
        this.value = value;
        this.host = host;
        this.port = port;
        this.path = path;
        this.fileName = fileName;
    }

    /**
     * Validates and normalises a publisher-supplied wheel URL.
     *
     * @throws IllegalArgumentException with a message fit for an API client
     */
    public static WheelUrl normalize(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw invalid("wheel_url is required");
        }
        if (raw.length() > MAX_LENGTH) {
            throw invalid("wheel_url is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                throw invalid(String.format(
                        Locale.ROOT,
                        "wheel_url must not contain control characters such as CR, LF or NUL (found U+%04X at"
                                + " position %d)",
                        (int) c,
                        i));
            }
        }
        int colon = schemeEnd(raw);
        if (colon < 0) {
            throw invalid(
                    "wheel_url must be an absolute URL such as https://files.example.com/pkg-1.0.0-py3-none-any.whl");
        }
        String scheme = raw.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!scheme.equals("https")) {
            throw invalid("wheel_url must use https, got '" + scheme + "'");
        }
        String rest = raw.substring(colon + 1);
        if (!rest.startsWith("//")) {
            throw invalid("wheel_url must have a host: https://host/path/file.whl");
        }
        rest = rest.substring(2);
        int query = rest.indexOf('?');
        int fragment = rest.indexOf('#');
        if (query >= 0 && (fragment < 0 || query < fragment)) {
            throw invalid("wheel_url must not contain a query: signed or expiring URLs cannot serve runtimes later");
        }
        if (fragment >= 0) {
            throw invalid("wheel_url must not contain a fragment");
        }
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String rawPath = slash < 0 ? "" : rest.substring(slash);
        if (authority.indexOf('@') >= 0) {
            throw invalid("wheel_url must not contain user info");
        }

        String hostPart;
        String portPart = null;
        boolean ipv6 = authority.startsWith("[");
        if (ipv6) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw invalid("wheel_url has an IPv6 host without a closing ']'");
            }
            hostPart = authority.substring(1, close);
            String after = authority.substring(close + 1);
            if (!after.isEmpty()) {
                if (after.charAt(0) != ':') {
                    throw invalid("wheel_url has unexpected characters after the IPv6 host");
                }
                portPart = after.substring(1);
            }
        } else {
            int portColon = authority.indexOf(':');
            hostPart = portColon < 0 ? authority : authority.substring(0, portColon);
            portPart = portColon < 0 ? null : authority.substring(portColon + 1);
        }
        if (hostPart.isEmpty()) {
            throw invalid("wheel_url must have a host: https://host/path/file.whl");
        }
        String host = ipv6 ? ipv6Host(hostPart) : regNameHost(hostPart);
        int port = port(portPart);

        String path = removeDotSegments(normalizePercentEncoding(rawPath));
        if (path.isEmpty()) {
            path = "/";
        }
        String lastSegment = path.substring(path.lastIndexOf('/') + 1);
        if (lastSegment.isEmpty()) {
            throw invalid("wheel_url must end with a wheel file name");
        }
        String fileName = percentDecodeUtf8(lastSegment);

        String value = "https://" + (ipv6 ? "[" + host + "]" : host) + (port == DEFAULT_PORT ? "" : ":" + port) + path;
        if (value.length() > MAX_LENGTH) {
            throw invalid("wheel_url is longer than " + MAX_LENGTH + " characters once normalised");
        }
        return new WheelUrl(value, host, port, path, fileName);
    }

    /**
     * Resolves a redirect {@code Location} (absolute or relative, RFC 3986 section 5.2) against {@code base}
     * and normalises the result with {@link #normalize}; so a redirect to http, to a URL with a query, or to
     * anything else {@code normalize} refuses throws {@link IllegalArgumentException}.
     */
    public static WheelUrl resolveRedirect(WheelUrl base, String location) {
        if (location == null || location.isEmpty()) {
            throw invalid("redirect has no Location");
        }
        String target;
        if (schemeEnd(location) >= 0) {
            target = location;
        } else if (location.startsWith("//")) {
            target = "https:" + location;
        } else if (location.startsWith("/")) {
            target = base.origin() + location;
        } else if (location.startsWith("?") || location.startsWith("#")) {
            target = base.value + location;
        } else {
            target = base.origin() + base.path.substring(0, base.path.lastIndexOf('/') + 1) + location;
        }
        try {
            return normalize(target);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("redirect target is not acceptable: " + e.getMessage(), e);
        }
    }

    private String origin() {
        int pathStart = value.indexOf('/', "https://".length());
        return value.substring(0, pathStart);
    }

    /** The index of the ':' ending an RFC 3986 scheme at the start of {@code s}, or -1. */
    private static int schemeEnd(String s) {
        if (s.isEmpty() || !isAsciiLetter(s.charAt(0))) {
            return -1;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ':') {
                return i;
            }
            if (!(isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')) {
                return -1;
            }
        }
        return -1;
    }

    private static String ipv6Host(String literal) {
        String lower = literal.toLowerCase(Locale.ROOT);
        boolean syntaxOk =
                lower.indexOf(':') >= 0 && (Character.digit(lower.charAt(0), 16) >= 0 || lower.charAt(0) == ':');
        for (int i = 0; syntaxOk && i < lower.length(); i++) {
            char c = lower.charAt(i);
            syntaxOk = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == ':' || c == '.';
        }
        if (syntaxOk) {
            try {
                // Only hex digits, ':' and '.', with a ':': InetAddress parses it as a literal, no DNS lookup.
                InetAddress.getByName(lower);
                return lower;
            } catch (UnknownHostException e) {
                // fall through
            }
        }
        throw invalid("wheel_url host '[" + literal + "]' is not a valid IPv6 address");
    }

    private static String regNameHost(String raw) {
        if (raw.indexOf('%') >= 0) {
            throw invalid("wheel_url host '" + raw + "' must not be percent-encoded");
        }
        String ascii;
        try {
            ascii = IDN.toASCII(raw.toLowerCase(Locale.ROOT), IDN.USE_STD3_ASCII_RULES);
        } catch (IllegalArgumentException e) {
            throw invalid("wheel_url host '" + raw + "' is not a valid host name (" + e.getMessage() + ")");
        }
        ascii = ascii.toLowerCase(Locale.ROOT);
        if (ascii.endsWith(".")) {
            ascii = ascii.substring(0, ascii.length() - 1);
        }
        if (ascii.isEmpty() || ascii.startsWith(".") || ascii.contains("..")) {
            throw invalid("wheel_url host '" + raw + "' is not a valid host name (empty label)");
        }
        if (ascii.length() > 253) {
            throw invalid("wheel_url host '" + raw + "' is longer than 253 characters");
        }
        String last = ascii.substring(ascii.lastIndexOf('.') + 1);
        // A name ending in a number is an IPv4 address to URL parsers and resolvers ("127.1", "0x7f.1"):
        // only the canonical dotted quad is accepted, so every address has one spelling.
        if ((last.chars().allMatch(c -> c >= '0' && c <= '9') || last.startsWith("0x")) && !isDottedQuad(ascii)) {
            throw invalid("wheel_url host '" + raw + "' must be a host name or a dotted-quad IPv4 address");
        }
        return ascii;
    }

    private static boolean isDottedQuad(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty()
                    || p.length() > 3
                    || (p.length() > 1 && p.charAt(0) == '0')
                    || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    private static int port(String portPart) {
        if (portPart == null) {
            return DEFAULT_PORT;
        }
        if (portPart.isEmpty() || portPart.length() > 5 || !portPart.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw invalid("wheel_url port must be a number from 1 to 65535, got '" + portPart + "'");
        }
        int port = Integer.parseInt(portPart);
        if (port < 1 || port > 65535) {
            throw invalid("wheel_url port must be a number from 1 to 65535, got '" + portPart + "'");
        }
        return port;
    }

    /** Upper-cases escapes, decodes escaped unreserved characters, encodes non-ASCII as UTF-8. */
    private static String normalizePercentEncoding(String rawPath) {
        StringBuilder out = new StringBuilder(rawPath.length());
        for (int i = 0; i < rawPath.length(); ) {
            int c = rawPath.codePointAt(i);
            if (c == '%') {
                int hi = i + 1 < rawPath.length() ? Character.digit(rawPath.charAt(i + 1), 16) : -1;
                int lo = i + 2 < rawPath.length() ? Character.digit(rawPath.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0 || rawPath.charAt(i + 1) > 0x7F || rawPath.charAt(i + 2) > 0x7F) {
                    String escape = rawPath.substring(i, Math.min(i + 3, rawPath.length()));
                    throw invalid("wheel_url contains an invalid percent escape '" + escape + "'");
                }
                int b = hi * 16 + lo;
                if (isUnreserved(b)) {
                    out.append((char) b);
                } else {
                    appendEscape(out, b);
                }
                i += 3;
            } else if (c > 0x7F) {
                if (Character.getType(c) == Character.SURROGATE) {
                    throw invalid("wheel_url contains an unpaired surrogate character");
                }
                for (byte b : new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8)) {
                    appendEscape(out, b & 0xFF);
                }
                i += Character.charCount(c);
            } else if (isUnreserved(c) || c == '/' || c == ':' || c == '@' || "!$&'()*+,;=".indexOf(c) >= 0) {
                out.append((char) c);
                i++;
            } else {
                throw invalid("wheel_url path contains '" + (char) c + "', which must be percent-encoded");
            }
        }
        return out.toString();
    }

    private static void appendEscape(StringBuilder out, int b) {
        out.append('%').append(HEX.charAt(b >> 4)).append(HEX.charAt(b & 0xF));
    }

    private static boolean isUnreserved(int c) {
        return isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static boolean isAsciiLetter(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** RFC 3986 section 5.2.4. */
    static String removeDotSegments(String path) {
        String in = path;
        StringBuilder out = new StringBuilder(path.length());
        while (!in.isEmpty()) {
            if (in.startsWith("../")) {
                in = in.substring(3);
            } else if (in.startsWith("./")) {
                in = in.substring(2);
            } else if (in.startsWith("/./")) {
                in = in.substring(2);
            } else if (in.equals("/.")) {
                in = "/";
            } else if (in.startsWith("/../")) {
                in = in.substring(3);
                removeLastSegment(out);
            } else if (in.equals("/..")) {
                in = "/";
                removeLastSegment(out);
            } else if (in.equals(".") || in.equals("..")) {
                in = "";
            } else {
                int next = in.indexOf('/', 1);
                int end = next < 0 ? in.length() : next;
                out.append(in, 0, end);
                in = in.substring(end);
            }
        }
        return out.toString();
    }

    private static void removeLastSegment(StringBuilder out) {
        int lastSlash = out.lastIndexOf("/");
        out.setLength(Math.max(lastSlash, 0));
    }

    private static String percentDecodeUtf8(String segment) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                bytes.write(Integer.parseInt(segment.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw invalid("wheel_url file name '" + segment + "' is not valid UTF-8 once percent-decoded");
        }
    }

    private static IllegalArgumentException invalid(String message) {
        return new IllegalArgumentException(message);
    }

    /** The normalised URL. */
    public String value() {
        return value;
    }

    /** The lower-case ASCII host, without brackets for IPv6 and without a trailing dot. */
    public String host() {
        return host;
    }

    /** The port, 443 when the URL has none. */
    public int port() {
        return port;
    }

    /** The normalised path, as sent on the HTTP request line (the URL has no query). */
    public String pathAndRest() {
        return path;
    }

    /** The last path segment, percent-decoded as UTF-8; never empty. */
    public String fileName() {
        return fileName;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WheelUrl && ((WheelUrl) o).value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
