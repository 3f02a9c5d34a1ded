package dev.providers.registry.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AllowListTest {

    private static InetAddress ip(String literal) {
        return AddressClassifierTest.ip(literal);
    }

    private static boolean allows(String entry, String address) {
        return AllowList.parse(List.of(entry)).allowsAddress(ip(address));
    }

    @ParameterizedTest
    @CsvSource({
        "127.0.0.3/32, 127.0.0.3, true",
        "127.0.0.3/32, 127.0.0.2, false",
        "127.0.0.3/32, 127.0.0.4, false",
        "127.0.0.3, 127.0.0.3, true",
        "127.0.0.3, 127.0.0.2, false",
        "127.0.0.3, 127.0.0.4, false",
        "10.0.0.0/8, 10.0.0.0, true",
        "10.0.0.0/8, 10.255.255.255, true",
        "10.0.0.0/8, 9.255.255.255, false",
        "10.0.0.0/8, 11.0.0.0, false",
        "172.16.0.0/12, 172.31.255.255, true",
        "172.16.0.0/12, 172.32.0.0, false",
        "172.16.0.0/12, 172.15.255.255, false",
        "192.168.1.0/24, 192.168.1.77, true",
        "192.168.1.0/24, 192.168.2.1, false",
        "192.168.1.128/25, 192.168.1.128, true",
        "192.168.1.128/25, 192.168.1.127, false",
        "0.0.0.0/0, 8.8.8.8, true",
        "0.0.0.0/0, ::1, false",
        "::1/128, ::1, true",
        "::1/128, ::2, false",
        "::1/128, ::, false",
        "::1, ::1, true",
        "::1/128, 127.0.0.1, false",
        "fd00::/8, fd00::1, true",
        "fd00::/8, fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, true",
        "fd00::/8, fc00::1, false",
        "fd00::/8, fe00::, false",
        "FD00::/8, fd12::1, true",
        "2001:db8::/32, 2001:db8:1::1, true",
        "2001:db8::/32, 2001:db9::, false",
        "127.0.0.1, ::ffff:127.0.0.1, false",
        "::ffff:0:0/96, ::ffff:127.0.0.1, true",
        "::ffff:0:0/96, 127.0.0.1, false",
        " 127.0.0.3 , 127.0.0.3, true",
    })
    void addresses(String entry, String address, boolean allowed) {
        assertEquals(allowed, allows(entry, address), entry + " vs " + address);
    }

    @ParameterizedTest
    @CsvSource({
        "a.test, a.test, true",
        "a.test, A.TEST, true",
        "a.test, a.test., true",
        "A.Test., a.test, true",
        "a.test, b.a.test, false",
        "a.test, xa.test, false",
        "a.test, a.test.evil, false",
        "a.test, test, false",
        "wheels.example.test, wheels.example.test, true",
        "wheels.example.test, wheels.example.test.evil.com, false",
        "wheels.example.test, example.test, false",
        "*.example.test, wheels.example.test, true",
        "*.example.test, a.b.example.test, true",
        "*.example.test, WHEELS.Example.Test., true",
        "*.example.test, example.test, false",
        "*.example.test, badexample.test, false",
        "*.example.test, example.test.evil, false",
        "b\u00fccher.example, xn--bcher-kva.example, true",
        "localhost, localhost, true",
        "localhost, 127.0.0.1, false",
    })
    void hosts(String entry, String host, boolean allowed) {
        assertEquals(allowed, AllowList.parse(List.of(entry)).allowsHost(host), entry + " vs " + host);
    }

    @Test
    void hostEntriesDoNotAllowAddressesAndViceVersa() {
        AllowList list = AllowList.parse(List.of("127.0.0.3/32", "wheels.example.test"));
        assertFalse(list.allowsHost("127.0.0.3"));
        assertTrue(list.allowsHost("wheels.example.test"));
        assertTrue(list.allowsAddress(ip("127.0.0.3")));
        assertFalse(list.allowsHost(null));
        assertFalse(list.allowsHost(""));
    }

    @Test
    void severalEntries() {
        AllowList list = AllowList.parse(List.of("10.0.0.0/8", "::1", "wheels.example.test", "*.corp.test"));
        assertTrue(list.allowsAddress(ip("10.9.8.7")));
        assertTrue(list.allowsAddress(ip("::1")));
        assertFalse(list.allowsAddress(ip("127.0.0.1")));
        assertFalse(list.allowsAddress(ip("192.168.0.1")));
        assertTrue(list.allowsHost("wheels.example.test"));
        assertTrue(list.allowsHost("pypi.corp.test"));
        assertFalse(list.allowsHost("corp.test"));
        assertFalse(list.isEmpty());
        assertEquals(List.of("10.0.0.0/8", "::1", "wheels.example.test", "*.corp.test"), list.entries());
    }

    @Test
    void none() {
        AllowList none = AllowList.none();
        assertTrue(none.isEmpty());
        assertFalse(none.allowsAddress(ip("127.0.0.1")));
        assertFalse(none.allowsAddress(ip("8.8.8.8")));
        assertFalse(none.allowsHost("localhost"));
        assertTrue(AllowList.parse(List.of()).isEmpty());
        assertTrue(AllowList.parse(null).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                " ",
                "10.0.0.0/",
                "10.0.0.0/33",
                "10.0.0.0/-1",
                "10.0.0.0/8/8",
                "10.0.0.0/x",
                "10.0.0/8",
                "/8",
                "::1/129",
                "::1/",
                "fd00::/8000",
                "999.0.0.1",
                "1.2.3",
                "127.1",
                "01.2.3.4",
                "1:::2",
                "fe80::1%eth0",
                "*",
                "*.",
                "a.*.test",
                "**.test",
                "*.*.test",
                "a..test",
                ".a.test",
                "a b.test",
                "a_b.test",
                "http://a.test",
                "a.test/8",
                "example.123",
                "-a.test",
                "10.1.2.3/8",
                "fd00::1/8",
                "127.0.0.3/31",
            })
    void rejectsInvalidEntries(String entry) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> AllowList.parse(List.of("10.0.0.0/8", entry)));
        assertTrue(
                e.getMessage().contains("'" + entry.strip() + "'")
                        || e.getMessage().contains("'" + entry + "'"),
                e.getMessage());
    }

    @Test
    void invalidEntryMessages() {
        assertEquals(
                "allow-list entry '10.1.2.3/8' has host bits set; did you mean 10.0.0.0/8?",
                assertThrows(IllegalArgumentException.class, () -> AllowList.parse(List.of("10.1.2.3/8")))
                        .getMessage());
        assertEquals(
                "allow-list entry 'fd00::1/8' has host bits set; did you mean fd00::/8?",
                assertThrows(IllegalArgumentException.class, () -> AllowList.parse(List.of("fd00::1/8")))
                        .getMessage());
        assertEquals(
                "allow-list entry '10.0.0.0/33' is not a CIDR: the prefix length must be a number from 0 to 32",
                assertThrows(IllegalArgumentException.class, () -> AllowList.parse(List.of("10.0.0.0/33")))
                        .getMessage());
        assertEquals(
                "allow-list entry 'a b.test' is neither an IP address, a CIDR, a host name nor *.host-name",
                assertThrows(IllegalArgumentException.class, () -> AllowList.parse(List.of("a b.test")))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> AllowList.parse(java.util.Arrays.asList("a.test", null)));
    }
}
