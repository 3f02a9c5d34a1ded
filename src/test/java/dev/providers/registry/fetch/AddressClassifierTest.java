package dev.providers.registry.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Never touches the network: addresses come from literals (no DNS) or raw bytes. */
class AddressClassifierTest {

    /** An address from a literal; IPv4-mapped IPv6 literals are kept as 16-byte {@link Inet6Address}. */
    static InetAddress ip(String literal) {
        assertTrue(literal.indexOf(':') >= 0 || literal.matches("[0-9.]+"), "literal only: " + literal);
        try {
            InetAddress parsed = InetAddress.getByName(literal);
            if (literal.indexOf(':') >= 0 && parsed instanceof Inet4Address) {
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xFF;
                mapped[11] = (byte) 0xFF;
                System.arraycopy(parsed.getAddress(), 0, mapped, 12, 4);
                return Inet6Address.getByAddress(null, mapped, -1);
            }
            return parsed;
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static Optional<String> refusal(String literal) {
        return AddressClassifier.refusal(ip(literal));
    }

    @ParameterizedTest(name = "{0} {1} {2} refused as {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                "0.0.0.0 | 0.1.2.3 | 0.255.255.255 | \"this network\" address",
                "10.0.0.0 | 10.1.2.3 | 10.255.255.255 | private address",
                "100.64.0.0 | 100.100.100.100 | 100.127.255.255 | shared (carrier-grade NAT) address",
                "127.0.0.0 | 127.0.0.1 | 127.255.255.255 | loopback address",
                "169.254.0.0 | 169.254.169.254 | 169.254.255.255 | link-local address",
                "172.16.0.0 | 172.20.1.1 | 172.31.255.255 | private address",
                "192.0.0.0 | 192.0.0.170 | 192.0.0.255 | IETF protocol assignment address",
                "192.0.2.0 | 192.0.2.1 | 192.0.2.255 | documentation address",
                "198.51.100.0 | 198.51.100.7 | 198.51.100.255 | documentation address",
                "203.0.113.0 | 203.0.113.9 | 203.0.113.255 | documentation address",
                "192.88.99.0 | 192.88.99.1 | 192.88.99.255 | 6to4 relay anycast address",
                "192.168.0.0 | 192.168.1.1 | 192.168.255.255 | private address",
                "198.18.0.0 | 198.19.1.1 | 198.19.255.255 | benchmarking address",
                "224.0.0.0 | 233.1.2.3 | 239.255.255.255 | multicast address",
                "240.0.0.0 | 250.1.2.3 | 255.255.255.254 | reserved address",
                "255.255.255.255 | 255.255.255.255 | 255.255.255.255 | broadcast address",
                ":: | :: | :: | unspecified address",
                "::1 | ::1 | ::1 | loopback address",
                "::ffff:0.0.0.0 | ::ffff:8.8.8.8 | ::ffff:255.255.255.255 | IPv4-mapped address",
                "::ffff:0:0.0.0.0 | ::ffff:0:8.8.8.8 | ::ffff:0:255.255.255.255 | IPv4-translated address",
                "::0.0.0.2 | ::8.8.8.8 | ::255.255.255.255 | IPv4-compatible address",
                "64:ff9b:: | 64:ff9b::808:808 | 64:ff9b::ffff:ffff | NAT64 address",
                "64:ff9b:1:: | 64:ff9b:1:abcd::1 | 64:ff9b:1:ffff:ffff:ffff:ffff:ffff | local-use NAT64 address",
                "100:: | 100::1 | 100::ffff:ffff:ffff:ffff | discard-only address",
                "2001:: | 2001:0:4136:e378:8000:63bf:3fff:fdd2 | 2001:0:ffff:ffff:ffff:ffff:ffff:ffff | Teredo address",
                "2001:db8:: | 2001:db8:1::1 | 2001:db8:ffff:ffff:ffff:ffff:ffff:ffff | documentation address",
                "3fff:: | 3fff:abc::1 | 3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff | documentation address",
                "2001:2:: | 2001:2:0:1::1 | 2001:2:0:ffff:ffff:ffff:ffff:ffff | benchmarking address",
                "2001:10:: | 2001:1a::1 | 2001:1f:ffff:ffff:ffff:ffff:ffff:ffff | ORCHID address",
                "2002:: | 2002:c000:204::1 | 2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff | 6to4 address",
                "fc00:: | fd12:3456::1 | fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | unique local address",
                "fe80:: | fe80::1 | febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff | link-local address",
                "fec0:: | fec0::1 | feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | site-local address",
                "ff00:: | ff02::1 | ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | multicast address",
                "0:0:0:1:: | 1::1 | 1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | reserved address",
                "4000:: | 5f00::1 | 7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | reserved address",
                "8000:: | a000::1 | fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | reserved address",
            })
    void refusesWholeRange(String first, String middle, String last, String kind) {
        for (String literal : new String[] {first, middle, last}) {
            Optional<String> reason = refusal(literal);
            assertTrue(reason.isPresent(), literal + " must be refused");
            assertTrue(reason.get().startsWith(kind + " "), literal + ": " + reason.get());
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "8.8.8.8",
                "1.1.1.1",
                "93.184.216.34",
                "1.0.0.0",
                "9.255.255.255",
                "11.0.0.0",
                "100.63.255.255",
                "100.128.0.0",
                "126.255.255.255",
                "128.0.0.0",
                "169.253.255.255",
                "169.255.0.0",
                "172.15.255.255",
                "172.32.0.0",
                "191.255.255.255",
                "192.0.1.0",
                "192.0.1.255",
                "192.0.3.0",
                "192.88.98.255",
                "192.88.100.0",
                "192.167.255.255",
                "192.169.0.0",
                "198.17.255.255",
                "198.20.0.0",
                "198.51.99.255",
                "198.51.101.0",
                "203.0.112.255",
                "203.0.114.0",
                "223.255.255.255",
                "2606:4700::1111",
                "2001:4860:4860::8888",
                "2a00:1450:4001::1",
                "2000::",
                "3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
                "3fff:1000::",
                "2001:1::1",
                "2001:1:ffff:ffff:ffff:ffff:ffff:ffff",
                "2001:2:1::",
                "2001:f:ffff:ffff:ffff:ffff:ffff:ffff",
                "2001:20::",
                "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff",
                "2001:db9::",
                "2001:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
                "2003::",
                "2001:1::",
                "2400:cb00::1",
            })
    void acceptsPublicAddresses(String literal) {
        assertEquals(Optional.empty(), refusal(literal), literal);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // neighbours of IPv6 blocks outside 2000::/3 fall into the catch-all, not the block itself
                "::2:0:0 | reserved address",
                "::1:0:0:0 | reserved address",
                "::fffe:ffff:ffff | reserved address",
                "::ffff:ffff | IPv4-compatible address",
                "::1:0:0:0:0 | reserved address",
                "64:ff9b::1:0:0:0 | reserved address",
                "64:ff9a:ffff:ffff:ffff:ffff:ffff:ffff | reserved address",
                "64:ff9b:2:: | reserved address",
                "100:0:0:1:: | reserved address",
                "fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | reserved address",
                "fe00:: | reserved address",
                "fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff | reserved address",
                "fe80:: | link-local address",
                "fec0:: | site-local address",
                "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | site-local address",
                "ff00:: | multicast address",
            })
    void blockBoundaries(String literal, String kind) {
        Optional<String> reason = refusal(literal);
        assertTrue(reason.isPresent(), literal);
        assertTrue(reason.get().startsWith(kind + " "), literal + ": " + reason.get());
    }

    @Test
    void reasonsAreReadable() {
        assertEquals(Optional.of("loopback address 127.0.0.1"), refusal("127.0.0.1"));
        assertEquals(Optional.of("private address 10.1.2.3 (RFC 1918)"), refusal("10.1.2.3"));
        assertEquals(
                Optional.of("link-local address 169.254.169.254 (169.254.0.0/16, includes cloud metadata)"),
                refusal("169.254.169.254"));
        assertEquals(Optional.of("loopback address ::1"), refusal("::1"));
        assertEquals(Optional.of("unspecified address ::"), refusal("::"));
        assertEquals(Optional.of("IPv4-mapped address ::ffff:127.0.0.1"), refusal("::ffff:127.0.0.1"));
        assertEquals(Optional.of("unique local address fd00::1 (RFC 4193)"), refusal("fd00::1"));
        assertEquals(Optional.of("documentation address 2001:db8::1 (RFC 3849)"), refusal("2001:db8:0:0:0:0:0:1"));
        assertEquals(Optional.of("broadcast address 255.255.255.255"), refusal("255.255.255.255"));
    }

    @Test
    void mappedLiteralsBecomeIpv4AndAreJudgedAsSuch() {
        InetAddress mapped = ip("127.0.0.1");
        assertInstanceOf(Inet4Address.class, mapped);
        InetAddress viaJdk = assertDoesNotResolve("::ffff:127.0.0.1");
        assertInstanceOf(Inet4Address.class, viaJdk);
        assertEquals(Optional.of("loopback address 127.0.0.1"), AddressClassifier.refusal(viaJdk));
        InetAddress publicMapped = assertDoesNotResolve("::ffff:8.8.8.8");
        assertEquals(Optional.empty(), AddressClassifier.refusal(publicMapped), "JDK turns it into plain 8.8.8.8");
    }

    @Test
    void rawMappedBytesStayIpv6AndAreRefused() throws UnknownHostException {
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xFF;
        bytes[11] = (byte) 0xFF;
        bytes[12] = 8;
        bytes[13] = 8;
        bytes[14] = 8;
        bytes[15] = 8;
        Inet6Address v6 = Inet6Address.getByAddress(null, bytes, -1);
        assertInstanceOf(Inet6Address.class, v6);
        assertEquals(Optional.of("IPv4-mapped address ::ffff:8.8.8.8"), AddressClassifier.refusal(v6));
        Inet6Address withNullInterface = Inet6Address.getByAddress(null, bytes, (java.net.NetworkInterface) null);
        assertTrue(AddressClassifier.refusal(withNullInterface).isPresent());
    }

    @Test
    void scopedLinkLocalIsRefused() throws UnknownHostException {
        byte[] bytes = ip("fe80::1").getAddress();
        assertTrue(AddressClassifier.refusal(Inet6Address.getByAddress(null, bytes, 3))
                .isPresent());
    }

    @Test
    void addressesBuiltFromBytes() throws UnknownHostException {
        assertTrue(AddressClassifier.refusal(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))
                .isPresent());
        assertTrue(AddressClassifier.refusal(
                        InetAddress.getByAddress(new byte[] {(byte) 169, (byte) 254, (byte) 169, (byte) 254}))
                .isPresent());
        assertEquals(Optional.empty(), AddressClassifier.refusal(InetAddress.getByAddress(new byte[] {8, 8, 4, 4})));
        assertEquals(
                Optional.empty(),
                AddressClassifier.refusal(InetAddress.getByAddress("named.example", new byte[] {1, 1, 1, 1})),
                "the host name plays no part");
        assertTrue(AddressClassifier.refusal(InetAddress.getByAddress("dns.google", new byte[] {10, 0, 0, 1}))
                .isPresent());
    }

    private static InetAddress assertDoesNotResolve(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    // ---------------------------------------------------------------- host names

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "localhost | localhost name localhost",
                "LOCALHOST | localhost name LOCALHOST",
                "localhost. | localhost name localhost.",
                "foo.localhost | localhost name foo.localhost",
                "a.b.LocalHost. | localhost name a.b.LocalHost.",
                "metadata.google.internal | cloud metadata host name metadata.google.internal",
                "METADATA.GOOGLE.INTERNAL. | cloud metadata host name METADATA.GOOGLE.INTERNAL.",
                "db.internal | internal host name db.internal (.internal)",
                "a.b.Internal | internal host name a.b.Internal (.internal)",
                "printer.local | multicast DNS host name printer.local (.local)",
                "printer.LOCAL. | multicast DNS host name printer.LOCAL. (.local)",
                "nas.home.arpa | home network host name nas.home.arpa (.home.arpa, RFC 8375)",
                "metadata | single-label host name metadata (resolved through local search domains)",
                "wheels | single-label host name wheels (resolved through local search domains)",
                "internal | internal host name internal (.internal)",
                "local | multicast DNS host name local (.local)",
                ". | empty host name",
            })
    void refusesHostNames(String host, String reason) {
        assertEquals(Optional.of(reason), AddressClassifier.refusedHostName(host));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "files.example.com",
                "files.example.com.",
                "pypi.org",
                "localhost.example.com",
                "internal.example.com",
                "local.example.com",
                "mylocal.com",
                "notlocalhost.com",
                "example.internals",
                "example.localhost.com",
                "metadata.google.com",
                "xn--bcher-kva.example",
                "127.0.0.1",
                "10.0.0.1",
                "::1",
                "fd00::1",
                "wheels.example.test",
            })
    void acceptsOtherHostNames(String host) {
        assertEquals(Optional.empty(), AddressClassifier.refusedHostName(host), host);
    }
}
