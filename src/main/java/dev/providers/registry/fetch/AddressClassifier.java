package dev.providers.registry.fetch;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether the registry may connect to an address or host name (SSRF protection): only public
 * unicast destinations are allowed. Stateless and thread-safe; never resolves names.
 */
public final class AddressClassifier {

    private record Block(byte[] prefix, int bits, String kind, String note) {

        static Block of(String cidr, String kind, String note) {
            int slash = cidr.indexOf('/');
            return new Block(
                    IpLiterals.parse(cidr.substring(0, slash)),
                    Integer.parseInt(cidr.substring(slash + 1)),
                    kind,
                    note);
        }

        boolean contains(byte[] address) {
            return IpLiterals.matches(address, prefix, bits);
        }
    }

    // First match wins, so more specific blocks come before the blocks that contain them.
    private static final List<Block> BLOCKS = List.of(
            Block.of("0.0.0.0/8", "\"this network\"", "0.0.0.0/8"),
            Block.of("10.0.0.0/8", "private", "RFC 1918"),
            Block.of("100.64.0.0/10", "shared (carrier-grade NAT)", "RFC 6598"),
            Block.of("127.0.0.0/8", "loopback", null),
            Block.of("169.254.0.0/16", "link-local", "169.254.0.0/16, includes cloud metadata"),
            Block.of("172.16.0.0/12", "private", "RFC 1918"),
            Block.of("192.0.0.0/24", "IETF protocol assignment", "RFC 6890"),
            Block.of("192.0.2.0/24", "documentation", "RFC 5737"),
            Block.of("192.88.99.0/24", "6to4 relay anycast", "RFC 7526"),
            Block.of("192.168.0.0/16", "private", "RFC 1918"),
            Block.of("198.18.0.0/15", "benchmarking", "RFC 2544"),
            Block.of("198.51.100.0/24", "documentation", "RFC 5737"),
            Block.of("203.0.113.0/24", "documentation", "RFC 5737"),
            Block.of("224.0.0.0/4", "multicast", null),
            Block.of("255.255.255.255/32", "broadcast", null),
            Block.of("240.0.0.0/4", "reserved", "240.0.0.0/4"),
            Block.of("::/128", "unspecified", null),
            Block.of("::1/128", "loopback", null),
            Block.of("::ffff:0:0/96", "IPv4-mapped", null),
            Block.of("::ffff:0:0:0/96", "IPv4-translated", "RFC 2765"),
            Block.of("::/96", "IPv4-compatible", "deprecated, RFC 4291"),
            Block.of("64:ff9b::/96", "NAT64", "RFC 6052"),
            Block.of("64:ff9b:1::/48", "local-use NAT64", "RFC 8215"),
            Block.of("100::/64", "discard-only", "RFC 6666"),
            Block.of("2001:db8::/32", "documentation", "RFC 3849"),
            Block.of("2001::/32", "Teredo", "RFC 4380"),
            Block.of("2001:2::/48", "benchmarking", "RFC 5180"),
            Block.of("2001:10::/28", "ORCHID", "deprecated, RFC 4843"),
            Block.of("2002::/16", "6to4", "RFC 3056"),
            Block.of("3fff::/20", "documentation", "RFC 9637"),
            Block.of("fc00::/7", "unique local", "RFC 4193"),
            Block.of("fe80::/10", "link-local", null),
            Block.of("fec0::/10", "site-local", "deprecated, RFC 3879"),
            Block.of("ff00::/8", "multicast", null),
            // Everything public on the IPv6 internet is in 2000::/3; the rest is unassigned or special.
            Block.of("::/3", "reserved", "outside global unicast 2000::/3"),
            Block.of("4000::/2", "reserved", "outside global unicast 2000::/3"),
            Block.of("8000::/1", "reserved", "outside global unicast 2000::/3"));

    private AddressClassifier() {}

    /**
     * Empty when {@code address} is a public unicast address; otherwise why not, e.g.
     * "loopback address 127.0.0.1" or "private address 10.1.2.3 (RFC 1918)". Every IPv6 address that maps or
     * embeds an IPv4 address (::/96, ::ffff:0:0/96, NAT64, 6to4, Teredo) is refused whatever the IPv4 part.
     */
    public static Optional<String> refusal(InetAddress address) {
        Objects.requireNonNull(address, "address");
        byte[] bytes = address.getAddress();
        for (Block block : BLOCKS) {
            if (block.contains(bytes)) {
                return Optional.of(block.kind() + " address " + IpLiterals.format(bytes)
                        + (block.note() == null ? "" : " (" + block.note() + ")"));
            }
        }
        return Optional.empty();
    }

    /**
     * Empty when {@code asciiHost} may be resolved and fetched from; otherwise why not. Refuses
     * {@code localhost} and {@code *.localhost}, {@code *.internal} (includes {@code metadata.google.internal}),
     * {@code *.local} (mDNS), {@code *.home.arpa} and single-label names (resolved through the local search
     * domains, e.g. {@code metadata}). Case-insensitive, a trailing dot is ignored. IP literals (with a ':' or
     * a dotted quad) are not names: they are left to {@link #refusal}.
     */
    public static Optional<String> refusedHostName(String asciiHost) {
        Objects.requireNonNull(asciiHost, "asciiHost");
        String host = asciiHost.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.indexOf(':') >= 0 || IpLiterals.parseV4(host) != null) {
            return Optional.empty();
        }
        if (host.isEmpty()) {
            return Optional.of("empty host name");
        }
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return Optional.of("localhost name " + asciiHost);
        }
        if (host.equals("metadata.google.internal")) {
            return Optional.of("cloud metadata host name " + asciiHost);
        }
        if (host.equals("internal") || host.endsWith(".internal")) {
            return Optional.of("internal host name " + asciiHost + " (.internal)");
        }
        if (host.equals("local") || host.endsWith(".local")) {
            return Optional.of("multicast DNS host name " + asciiHost + " (.local)");
        }
        if (host.equals("home.arpa") || host.endsWith(".home.arpa")) {
            return Optional.of("home network host name " + asciiHost + " (.home.arpa, RFC 8375)");
        }
        if (host.indexOf('.') < 0) {
            return Optional.of("single-label host name " + asciiHost + " (resolved through local search domains)");
        }
        return Optional.empty();
    }
}
