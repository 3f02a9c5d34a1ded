package dev.providers.registry.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralsTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "0.0.0.0",
                "1.2.3.4",
                "255.255.255.255",
                "10.0.0.1",
                "::",
                "::1",
                "1::",
                "1:2:3:4:5:6:7:8",
                "1::8",
                "fe80::1",
                "2001:db8::",
                "::ffff:1.2.3.4",
                "::1.2.3.4",
                "1:2:3:4:5:6:1.2.3.4",
                "64:ff9b::8.8.8.8",
                "FD00::ABCD",
                "0:0:0:0:0:0:0:0",
                "1:2:3:4:5:6:7::",
                "::2:3:4:5:6:7:8",
            })
    void parsesLikeTheJdk(String literal) throws Exception {
        byte[] ours = IpLiterals.parse(literal);
        assertTrue(ours != null, literal);
        byte[] jdk = InetAddress.getByName(literal).getAddress(); // a literal: no DNS
        if (jdk.length == 4 && ours.length == 16) {
            byte[] tail = new byte[4];
            System.arraycopy(ours, 12, tail, 0, 4);
            assertArrayEquals(jdk, tail, literal);
            assertEquals((byte) 0xFF, ours[10]);
            assertEquals((byte) 0xFF, ours[11]);
        } else {
            assertArrayEquals(jdk, ours, literal);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "1.2.3",
                "1.2.3.4.5",
                "256.0.0.1",
                "01.2.3.4",
                "1.2.3.04",
                "0x7f.0.0.1",
                "127.1",
                "2130706433",
                "1.2.3.",
                ".1.2.3",
                "1..2.3",
                " 1.2.3.4",
                "1.2.3.4 ",
                "a.b.c.d",
                "١.2.3.4",
                ":",
                ":::",
                "1:::2",
                "1::2::3",
                ":1::",
                "::1:",
                "1:2:3:4:5:6:7:8:9",
                "1:2:3:4:5:6:7",
                "12345::",
                "g::",
                "::ffff:1.2.3",
                "::ffff:1.2.3.4.5",
                "1.2.3.4::",
                "::1.2.3.4:1",
                "1:2:3:4:5:6:7:8::",
                "::1%eth0",
                "fe80::1%1",
                "[::1]",
                "1:2:3:4:5:6:7:1.2.3.4",
                "localhost",
                "example.com",
            })
    void rejects(String literal) {
        assertNull(IpLiterals.parse(literal), literal);
    }

    @ParameterizedTest
    @CsvSource({
        "::, ::",
        "::1, ::1",
        "1::, 1::",
        "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
        "1:0:2:0:3:0:4:0, 1:0:2:0:3:0:4:0",
        "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:7:0, 1:2:3:4:5:6:7:0",
        "0:2:3:4:5:6:7:8, 0:2:3:4:5:6:7:8",
        "0:0:3:4:5:6:7:8, ::3:4:5:6:7:8",
        "::ffff:7f00:1, ::ffff:127.0.0.1",
        "fe80:0:0:0:0:0:0:1, fe80::1",
        "1.2.3.4, 1.2.3.4",
        "255.0.10.1, 255.0.10.1",
    })
    void formats(String literal, String text) {
        assertEquals(text, IpLiterals.format(IpLiterals.parse(literal)));
    }

    @Test
    void formatRoundTripsRandomAddresses() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int i = 0; i < 5_000; i++) {
            byte[] bytes = new byte[16];
            for (int j = 0; j < 16; j += 2) {
                if (random.nextInt(3) > 0) {
                    bytes[j] = (byte) random.nextInt(256);
                    bytes[j + 1] = (byte) random.nextInt(256);
                }
            }
            String text = IpLiterals.format(bytes);
            assertArrayEquals(bytes, IpLiterals.parse(text), "seed " + seed + ": " + text);
        }
    }

    @Test
    void prefixMatching() {
        byte[] net = IpLiterals.parse("172.16.0.0");
        assertTrue(IpLiterals.matches(IpLiterals.parse("172.31.255.255"), net, 12));
        assertFalse(IpLiterals.matches(IpLiterals.parse("172.32.0.0"), net, 12));
        assertFalse(IpLiterals.matches(IpLiterals.parse("172.15.255.255"), net, 12));
        assertTrue(IpLiterals.matches(IpLiterals.parse("1.2.3.4"), net, 0));
        assertFalse(IpLiterals.matches(IpLiterals.parse("::1"), net, 0), "families never match");
        assertTrue(IpLiterals.matches(IpLiterals.parse("::1"), IpLiterals.parse("::1"), 128));
        assertFalse(IpLiterals.matches(IpLiterals.parse("::2"), IpLiterals.parse("::1"), 128));
        assertTrue(IpLiterals.matches(IpLiterals.parse("::3"), IpLiterals.parse("::2"), 127));
    }
}
