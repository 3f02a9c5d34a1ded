package dev.providers.registry.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/** Tests of the {@link Wheels} builder (plain JUnit). */
class WheelsTest {

    record Member(String name, int method, byte[] data) {}

    static List<Member> unzip(byte[] zip) throws IOException {
        List<Member> members = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                members.add(new Member(e.getName(), e.getMethod(), in.readAllBytes()));
            }
        }
        return members;
    }

    static Map<String, byte[]> byName(List<Member> members) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        members.forEach(x -> m.put(x.name(), x.data()));
        return m;
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void defaultWheelLayoutMetadataAndRecord() throws IOException {
        byte[] whl = Wheels.builder("Acme.Provider-X", "1.2.0rc1").build();
        List<Member> members = unzip(whl);
        String di = "acme_provider_x-1.2.0rc1.dist-info";
        assertEquals(
                List.of(
                        "acme_provider_x/__init__.py",
                        "acme_provider_x/provider.py",
                        di + "/METADATA",
                        di + "/WHEEL",
                        di + "/top_level.txt",
                        di + "/RECORD"),
                members.stream().map(Member::name).toList());
        members.forEach(m -> assertEquals(ZipEntry.DEFLATED, m.method(), m.name()));
        Map<String, byte[]> files = byName(members);
        assertEquals(
                "Metadata-Version: 2.1\nName: Acme.Provider-X\nVersion: 1.2.0rc1\n", text(files.get(di + "/METADATA")));
        assertEquals(
                "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
                text(files.get(di + "/WHEEL")));
        assertEquals("acme_provider_x\n", text(files.get(di + "/top_level.txt")));
        String[] lines = text(files.get(di + "/RECORD")).split("\n");
        assertEquals(members.size(), lines.length);
        for (int i = 0; i < lines.length - 1; i++) {
            Member m = members.get(i);
            assertEquals(m.name() + "," + Wheels.recordHash(m.data()) + "," + m.data().length, lines[i]);
        }
        assertEquals(di + "/RECORD,,", lines[lines.length - 1]);
    }

    @Test
    void fileNameAndHashes() {
        assertEquals("acme_provider-1.0-py3-none-any.whl", Wheels.fileName("Acme-Provider", "1.0"));
        assertEquals("a_b_c-2.0.post1-py3-none-any.whl", Wheels.fileName("a__b.-c", "2.0.post1"));
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Wheels.sha256Hex(new byte[0]));
        assertEquals("sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU", Wheels.recordHash(new byte[0]));
        assertEquals(Wheels.fileName("x", "1"), Wheels.builder("x", "1").fileName());
    }

    @Test
    void deterministicAndPaddingIsStoredAndIncompressible() throws IOException {
        byte[] a = Wheels.builder("big", "1.0").padding(300_000).build();
        byte[] b = Wheels.builder("big", "1.0").padding(300_000).build();
        assertArrayEquals(a, b);
        assertTrue(a.length > 300_000, "size " + a.length);
        Member pad = unzip(a).stream()
                .filter(m -> m.name().equals("big/data.bin"))
                .findFirst()
                .orElseThrow();
        assertEquals(ZipEntry.STORED, pad.method());
        assertEquals(300_000, pad.data().length);
        assertNotEquals(
                Wheels.sha256Hex(a),
                Wheels.sha256Hex(
                        Wheels.builder("big", "1.0").padding(300_000, 7).build()));
    }

    @Test
    void storedOptionsPackageNameAndNoTopLevel() throws IOException {
        List<Member> members = unzip(Wheels.builder("acme", "1.0")
                .stored()
                .packageName("acme_impl")
                .topLevelTxt(false)
                .build());
        members.forEach(m -> assertEquals(ZipEntry.STORED, m.method(), m.name()));
        List<String> names = members.stream().map(Member::name).toList();
        assertTrue(names.contains("acme_impl/__init__.py") && names.contains("acme_impl/provider.py"));
        assertFalse(names.contains("acme-1.0.dist-info/top_level.txt"));
        assertFalse(names.contains("acme_impl/data.bin"));
    }

    @Test
    void withoutDistInfoAndDistInfoOverride() throws IOException {
        List<String> none = unzip(
                        Wheels.builder("acme", "1.0").withoutDistInfo().build())
                .stream()
                .map(Member::name)
                .toList();
        assertEquals(List.of("acme/__init__.py", "acme/provider.py"), none);

        List<String> other = unzip(Wheels.builder("acme", "1.0")
                        .distInfoName("evil-6.6.dist-info")
                        .build())
                .stream()
                .map(Member::name)
                .toList();
        assertTrue(other.contains("evil-6.6.dist-info/METADATA"));
        assertEquals("evil-6.6.dist-info/RECORD", other.get(other.size() - 1));
    }

    @Test
    void extraEntriesAreAddedOrReplaceGeneratedOnes() throws IOException {
        byte[] whl = Wheels.builder("acme", "1.0")
                .extraEntry("../escape.py", "x".getBytes())
                .extraEntry(
                        "acme-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: other\nVersion: 9\n".getBytes())
                .build();
        List<Member> members = unzip(whl);
        Map<String, byte[]> files = byName(members);
        assertEquals("x", text(files.get("../escape.py")));
        assertEquals(
                "Metadata-Version: 2.1\nName: other\nVersion: 9\n", text(files.get("acme-1.0.dist-info/METADATA")));
        assertEquals(members.size(), files.size(), "no duplicate entries");
        String record = text(files.get("acme-1.0.dist-info/RECORD"));
        assertTrue(record.contains("../escape.py,sha256="));
        assertTrue(record.contains(
                "acme-1.0.dist-info/METADATA," + Wheels.recordHash(files.get("acme-1.0.dist-info/METADATA"))));
        assertEquals(
                "acme-1.0.dist-info/RECORD", members.get(members.size() - 1).name());

        byte[] badRecord = Wheels.builder("acme", "1.0")
                .extraEntry("acme-1.0.dist-info/RECORD", "junk".getBytes())
                .build();
        assertEquals("junk", text(byName(unzip(badRecord)).get("acme-1.0.dist-info/RECORD")));
    }
}
