package dev.providers.registry.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SegmentsTest {

    @ParameterizedTest
    @CsvSource({
        "acme, acme",
        "ACME, acme",
        "Acme-Corp, acme-corp",
        "a, a",
        "0, 0",
        "9lives, 9lives",
        "my_pkg.v2-x, my_pkg.v2-x",
        "a..b, a..b",
        "a-, a-",
        "A_B.C-D, a_b.c-d",
    })
    void normalizes(String raw, String normalized) {
        assertEquals(normalized, Segments.normalizeSegment(raw));
    }

    @Test
    void lengthLimit() {
        String hundred = "a" + "b".repeat(99);
        assertEquals(hundred, Segments.normalizeSegment(hundred.toUpperCase()));
        assertThrows(IllegalArgumentException.class, () -> Segments.normalizeSegment(hundred + "c"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "-a",
                "_a",
                ".a",
                "a b",
                " a",
                "a ",
                "a/b",
                "a:b",
                "a@b",
                "a+b",
                "a~b",
                "é",
                "café",
                "\u212Aey",
                "\u0130stanbul",
                "a\nb",
                "a\u0000",
                "*",
                "a*",
            })
    void rejects(String raw) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Segments.normalizeSegment(raw));
        assertEquals("segment '" + raw + "' must match ^[a-z0-9][a-z0-9._-]{0,99}$", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "a",
                "_",
                "_private",
                "pkg",
                "pkg.module",
                "pkg.sub.module",
                "Pkg_2.mod3",
                "a.b.c.d.e",
                "__init__",
                "café",
                "données.modèle",
                "π",
                "x\u0301",
                "class",
                "A1._b2",
            })
    void dottedPythonIdentifiers(String s) {
        assertTrue(Segments.isDottedPythonIdentifier(s), s);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                ".",
                "a.",
                ".a",
                "a..b",
                "1a",
                "a.1b",
                "a-b",
                "a b",
                "a.b-c",
                "a:b",
                "a/b",
                "pkg.mod:func",
                " a",
                "a ",
                "a\u200Bb",
                "a\u0000",
                "9",
                "a.b.",
                "$a",
                "a$",
            })
    void notDottedPythonIdentifiers(String s) {
        assertFalse(Segments.isDottedPythonIdentifier(s), s);
    }

    @Test
    void nullIsNotAnIdentifier() {
        assertFalse(Segments.isDottedPythonIdentifier(null));
    }
}
