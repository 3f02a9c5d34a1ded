package dev.providers.registry.fetch;

import java.net.IDN;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Operator-configured exemptions from {@link AddressClassifier}, e.g. for a wheel server on a private network
 * or in tests. Immutable and thread-safe.
 *
 * <p>Entries: a CIDR ({@code 10.0.0.0/8}, {@code fd00::/8}; host bits must be zero), a bare IP (as /32 or
 * /128), a host name (exact, case-insensitive, trailing dot ignored) or {@code *.name} (strict subdomains of
 * name, at any depth). IPv4 entries match only IPv4 addresses and IPv6 entries only IPv6 addresses, so
 * {@code 127.0.0.1} does not exempt {@code ::ffff:127.0.0.1}.
 */
public final class AllowList {

    private record Cidr(byte[] prefix, int bits) {}

    private static final AllowList NONE = new AllowList(List.of(), Set.of(), List.of(), List.of());

    private final List<Cidr> cidrs;
    private final Set<String> hosts;
    private final List<String> subdomainsOf;
    private final List<String> entries;

    private AllowList(List<Cidr> cidrs, Set<String> hosts, List<String> subdomainsOf, List<String> entries) {
        this.cidrs = cidrs;
        this.hosts = hosts;
        this.subdomainsOf = subdomainsOf;
        this.entries = entries;
    }

    public static AllowList none() {
        return NONE;
    }

    /**
     * Parses the entries (surrounding whitespace ignored).
     *
     * @throws IllegalArgumentException naming the first invalid entry
     */
    public static AllowList parse(List<String> entries) {
        if (entries == null || entries.isEmpty()) {
            return NONE;
        }
        List<Cidr> cidrs = new ArrayList<>();
        Set<String> hosts = new HashSet<>();
        List<String> subdomainsOf = new ArrayList<>();
        for (String raw : entries) {
            if (raw == null || raw.isBlank()) {
                throw new IllegalArgumentException("allow-list entry '" + raw + "' is empty");
            }
            String entry = raw.strip();
            if (entry.indexOf('/') >= 0) {
                cidrs.add(cidr(entry));
            } else if (IpLiterals.parse(entry) != null) {
                byte[] address = IpLiterals.parse(entry);
                cidrs.add(new Cidr(address, address.length * 8));
            } else if (entry.startsWith("*.")) {
                subdomainsOf.add(hostName(entry, entry.substring(2)));
            } else {
                hosts.add(hostName(entry, entry));
            }
        }
        return new AllowList(
                List.copyOf(cidrs),
                Set.copyOf(hosts),
                List.copyOf(subdomainsOf),
                entries.stream().map(String::strip).toList());
    }

    private static Cidr cidr(String entry) {
        int slash = entry.indexOf('/');
        byte[] prefix = IpLiterals.parse(entry.substring(0, slash));
        if (prefix == null) {
            throw new IllegalArgumentException("allow-list entry '" + entry + "' is not a CIDR: '"
                    + entry.substring(0, slash) + "' is not an IP address");
        }
        String bitsText = entry.substring(slash + 1);
        int max = prefix.length * 8;
        int bits = -1;
        if (!bitsText.isEmpty() && bitsText.length() <= 3 && bitsText.chars().allMatch(c -> c >= '0' && c <= '9')) {
            bits = Integer.parseInt(bitsText);
        }
        if (bits < 0 || bits > max) {
            throw new IllegalArgumentException("allow-list entry '" + entry + "' is not a CIDR: the prefix length must"
                    + " be a number from 0 to " + max);
        }
        byte[] network = prefix.clone();
        for (int bit = bits; bit < max; bit++) {
            network[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        if (!Arrays.equals(network, prefix)) {
            throw new IllegalArgumentException("allow-list entry '" + entry + "' has host bits set; did you mean "
                    + IpLiterals.format(network) + "/" + bits + "?");
        }
        return new Cidr(prefix, bits);
    }

    private static String hostName(String entry, String name) {
        String host = name.toLowerCase(Locale.ROOT);
        try {
            host = IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw notAnEntry(entry);
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.isEmpty() || host.startsWith(".") || host.contains("..") || host.length() > 253) {
            throw notAnEntry(entry);
        }
        String last = host.substring(host.lastIndexOf('.') + 1);
        if (last.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw notAnEntry(entry);
        }
        return host;
    }

    private static IllegalArgumentException notAnEntry(String entry) {
        return new IllegalArgumentException(
                "allow-list entry '" + entry + "' is neither an IP address, a CIDR," + " a host name nor *.host-name");
    }

    /** Whether the (ASCII) host name is listed, exactly or as a subdomain of a {@code *.} entry. */
    public boolean allowsHost(String asciiHost) {
        if (asciiHost == null) {
            return false;
        }
        String host = asciiHost.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.isEmpty()) {
            return false;
        }
        if (hosts.contains(host)) {
            return true;
        }
        for (String parent : subdomainsOf) {
            if (host.endsWith("." + parent)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the address is inside a listed CIDR or is a listed IP. */
    public boolean allowsAddress(InetAddress address) {
        Objects.requireNonNull(address, "address");
        byte[] bytes = address.getAddress();
        for (Cidr cidr : cidrs) {
            if (IpLiterals.matches(bytes, cidr.prefix(), cidr.bits())) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The entries as configured (stripped). */
    public List<String> entries() {
        return entries;
    }

    @Override
    public String toString() {
        return "AllowList" + entries;
    }
}
