package dev.providers.registry.wheel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.providers.registry.identity.SemVer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WheelFileNameTest {

    @ParameterizedTest
    @CsvSource(
            nullValues = "NULL",
            value = {
                "pkg-1.0.0-py3-none-any.whl, pkg, 1.0.0, NULL, py3, none, any",
                "my_pkg-1.2.3b1-py3-none-any.whl, my_pkg, 1.2.3b1, NULL, py3, none, any",
                "numpy-1.26.4-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl, numpy, 1.26.4, NULL, cp312, cp312, "
                        + "manylinux_2_17_x86_64.manylinux2014_x86_64",
                "distribution-1.0-1-py27-none-any.whl, distribution, 1.0, 1, py27, none, any",
                "pkg-2.0.0-123abc-py2.py3-none-any.whl, pkg, 2.0.0, 123abc, py2.py3, none, any",
                "zope.interface-6.0-cp311-cp311-win_amd64.whl, zope.interface, 6.0, NULL, cp311, cp311, win_amd64",
                "Pkg-1!2.0.0.post1+local.7-py3-none-any.whl, Pkg, 1!2.0.0.post1+local.7, NULL, py3, none, any",
                "pkg-1.0.0.dev3-py3-none-any.whl, pkg, 1.0.0.dev3, NULL, py3, none, any",
                "pkg-1.0.0rc1-0_x-py3-abi3-macosx_11_0_arm64.whl, pkg, 1.0.0rc1, 0_x, py3, abi3, macosx_11_0_arm64",
                "a-0-py3-none-any.whl, a, 0, NULL, py3, none, any",
            })
    void parses(
            String fileName,
            String distribution,
            String version,
            String build,
            String python,
            String abi,
            String platform) {
        WheelFileName w = WheelFileName.parse(fileName);
        assertEquals(distribution, w.distribution());
        assertEquals(version, w.version());
        assertEquals(build, w.buildTag());
        assertEquals(python, w.pythonTag());
        assertEquals(abi, w.abiTag());
        assertEquals(platform, w.platformTag());
        assertEquals(fileName, w.toString());
        assertEquals(w, WheelFileName.parse(fileName));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "foo.whl",
                "pkg-1.0.0-py3-none.whl",
                "pkg-1.0.0-py3-none-any.WHL",
                "pkg-1.0.0-py3-none-any.zip",
                "pkg-1.0.0-py3-none-any.whl ",
                " pkg-1.0.0-py3-none-any.whl",
                "pkg-1.0.0-py3-none-any",
                "pkg-1.0.0-x1-py3-none-any.whl",
                "pkg-1.0.0-a-b-py3-none-any.whl",
                "pkg-1.0.0-1-2-py3-none-any.whl",
                "-1.0.0-py3-none-any.whl",
                "pkg--py3-none-any.whl",
                "pkg-1.0.0--none-any.whl",
                "pkg-1.0.0-py3--any.whl",
                "pkg-1.0.0-py3-none-.whl",
                "pkg-1.0.0-py3-none-any-.whl",
                "pkg-1.0.0--py3-none-any.whl",
                "my pkg-1.0.0-py3-none-any.whl",
                "pkg-1.0 0-py3-none-any.whl",
                "dir/pkg-1.0.0-py3-none-any.whl",
                "pkg-1.0.0-py3-none-any/x.whl",
                "pkg-1.0.0-py3-none-any.whl.whl.x",
                "päkg-1.0.0-py3-none-any.whl",
                "pkg-1.0.0-py3-none-any+x.whl",
                "pkg-1.0.0-py3-no!ne-any.whl",
                ".whl",
                "pkg-1.0.0-py3-none-any.whl\u0000",
                "pkg-1.0.0-py3-none-any.whl\n",
                "pkg-1.0/0-py3-none-any.whl",
                "pkg-1.0.0-py3-none-an%79.whl",
            })
    void rejects(String fileName) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WheelFileName.parse(fileName));
        assertTrue(
                e.getMessage()
                        .startsWith("wheel file name '" + fileName + "' is not "
                                + "{distribution}-{version}(-{build})?-{python}-{abi}-{platform}.whl"),
                e.getMessage());
    }

    @Test
    void rejectsNullAndEmpty() {
        assertThrows(IllegalArgumentException.class, () -> WheelFileName.parse(null));
        assertThrows(IllegalArgumentException.class, () -> WheelFileName.parse(""));
    }

    @Test
    void messagesSayWhatIsWrong() {
        assertEquals(
                "wheel file name 'foo.whl' is not {distribution}-{version}(-{build})?-{python}-{abi}-{platform}"
                        + ".whl: it has 1 '-' separated parts, expected 5 or 6",
                message("foo.whl"));
        assertTrue(message("pkg-1.0.0-x1-py3-none-any.whl")
                .endsWith("the build tag 'x1' must be a digit followed by" + " letters, digits, '_' and '.'"));
        assertTrue(message("pkg-1.0.0-py3-none-any.zip").endsWith("it does not end with .whl"));
        assertTrue(message("pkg-1.0.0-py3--any.whl").endsWith("the abi tag is empty"));
        assertTrue(message("my pkg-1.0.0-py3-none-any.whl").contains("the distribution 'my pkg' must be"));
    }

    private static String message(String fileName) {
        return assertThrows(IllegalArgumentException.class, () -> WheelFileName.parse(fileName))
                .getMessage();
    }

    @ParameterizedTest
    @CsvSource({
        "pkg, pkg",
        "My-Package, my_package",
        "my.package, my_package",
        "my__package, my_package",
        "my-_.package, my_package",
        "Zope.Interface, zope_interface",
        "a-b_c.d, a_b_c_d",
        "A--B..C__D, a_b_c_d",
        "-lead, _lead",
        "trail., trail_",
        "PKG2, pkg2",
    })
    void normalizesDistribution(String raw, String normalized) {
        assertEquals(normalized, WheelFileName.normalizeDistribution(raw));
    }

    @Test
    void versionEquals() {
        WheelFileName w = WheelFileName.parse("pkg-1.0.0RC1-py3-none-any.whl");
        assertTrue(w.versionEquals("1.0.0rc1"));
        assertTrue(w.versionEquals("1.0.0RC1"));
        assertFalse(w.versionEquals("1.0.0rc2"));
        assertFalse(w.versionEquals("1.0.0-rc.1"));
        assertFalse(w.versionEquals("1.0.0rc1 "));
        assertFalse(w.versionEquals(null));
        assertFalse(WheelFileName.parse("pkg-1.0-py3-none-any.whl").versionEquals("1.0.0"));
        assertTrue(WheelFileName.parse("pkg-1.0.0+Build.5-py3-none-any.whl").versionEquals("1.0.0+build.5"));
        assertTrue(WheelFileName.parse("pkg-2.0.0.DEV3-py3-none-any.whl")
                .versionEquals(SemVer.parse("2.0.0-dev.3").pep440()));
        assertTrue(WheelFileName.parse("pkg-1.0.0rc1+exp.sha.5-py3-none-any.whl")
                .versionEquals(SemVer.parse("1.0.0-rc.1+exp-sha.5").pep440()));
        // only ASCII case folding: the Kelvin sign is not 'k'
        assertFalse(WheelFileName.parse("pkg-1.0.0+k-py3-none-any.whl").versionEquals("1.0.0+\u212A"));
    }
}
