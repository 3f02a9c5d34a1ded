package dev.providers.registry.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SemVerTest {

    // ---------------------------------------------------------------- parsing

    @ParameterizedTest
    @CsvSource(
            nullValues = "NULL",
            value = {
                "0.0.0, NULL, NULL",
                "1.2.3, NULL, NULL",
                "10.20.30, NULL, NULL",
                "1.0.0-alpha, alpha, NULL",
                "1.0.0-alpha.1, alpha.1, NULL",
                "1.0.0-0.3.7, 0.3.7, NULL",
                "1.0.0-x.7.z.92, x.7.z.92, NULL",
                "1.0.0-x-y-z.--, x-y-z.--, NULL",
                "1.0.0-0A.is.legal, 0A.is.legal, NULL",
                "1.0.0-00a, 00a, NULL",
                "1.0.0--, -, NULL",
                "1.0.0-alpha+001, alpha, 001",
                "1.0.0+20130313144700, NULL, 20130313144700",
                "1.0.0-beta+exp.sha.5114f85, beta, exp.sha.5114f85",
                "1.0.0+21AF26D3----117B344092BD, NULL, 21AF26D3----117B344092BD",
                "1.0.0+0.build.1-rc.10000aaa-kk-0.1, NULL, 0.build.1-rc.10000aaa-kk-0.1",
                "99999999999999999999999.999999999999999999.99999999999999999, NULL, NULL",
                "1.0.0-rc.1+build.1, rc.1, build.1",
            })
    void parsesValid(String text, String pre, String build) {
        SemVer v = SemVer.parse(text);
        assertEquals(text, v.text());
        assertEquals(text, v.toString());
        assertEquals(pre, v.preRelease());
        assertEquals(build, v.build());
        assertEquals(pre != null, v.isPreRelease());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "1",
                "1.0",
                "1.0.0.0",
                "01.0.0",
                "1.01.0",
                "1.0.01",
                "00.0.0",
                "v1.0.0",
                "V1.0.0",
                "1.0.0-",
                "1.0.0+",
                "1.0.0-01",
                "1.0.0-alpha.01",
                "1.0.0-alpha..1",
                "1.0.0-.alpha",
                "1.0.0-alpha.",
                "1.0.0+build.",
                "1.0.0+.b",
                "1.0.0+a..b",
                " 1.0.0",
                "1.0.0 ",
                "1. 0.0",
                "1.0.0-al pha",
                "1.0.0+a+b",
                "1.0.0-a_b",
                "1.0.0+a_b",
                "1.0.0-é",
                "1.0.0+ü",
                "a.b.c",
                "-1.0.0",
                "1.-1.0",
                "1.0.0.-a",
                "+1.0.0",
                "1..0",
                "..",
                "1.0.0-+a",
                "１.0.0",
                "1.0.0\n",
                "1.2",
                "1.2.3.DEV",
                "1.2-SNAPSHOT",
                "1.2.31.2.3----RC-SNAPSHOT.12.09.1--..12+788",
                "+invalid",
                "-invalid",
                "-invalid+invalid",
                "alpha",
                "alpha.beta",
                "1.0.0-alpha_beta",
                "9.8.7+meta+meta",
                "99999999999999999999999.999999999999999999.99999999999999999----RC-SNAPSHOT.12.09.1--------------------------------..12",
            })
    void rejectsInvalid(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SemVer.parse(text));
        assertFalse(e.getMessage().isBlank());
    }

    @Test
    void rejectsNull() {
        assertEquals(
                "version is required",
                assertThrows(IllegalArgumentException.class, () -> SemVer.parse(null))
                        .getMessage());
    }

    @Test
    void messagesAreHuman() {
        assertTrue(
                message("1.0")
                        .startsWith("version must be SemVer 2.0.0 (MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]), got '1.0'"),
                message("1.0"));
        assertTrue(message("01.0.0").contains("'01' has a leading zero"), message("01.0.0"));
        assertTrue(message("1.0.0-01").contains("pre-release identifier '01' has a leading zero"));
        assertTrue(message("1.0.0-").contains("pre-release has an empty identifier"));
        assertTrue(message("1.0.0+").contains("build metadata has an empty identifier"));
        assertTrue(message("v1.0.0").contains("got 'v1.0.0'"));
        assertTrue(message("1.0.0-a b").contains("outside [0-9A-Za-z-]"));
    }

    @Test
    void lengthLimitIs64() {
        String ok = "1.0.0-" + "a".repeat(58);
        assertEquals(64, ok.length());
        assertEquals(ok, SemVer.parse(ok).text());
        String tooLong = "1.0.0-" + "a".repeat(59);
        assertEquals(65, tooLong.length());
        assertEquals("version is longer than 64 characters", message(tooLong));
        assertEquals("version is longer than 64 characters", message("1".repeat(65)));
    }

    private static String message(String text) {
        return assertThrows(IllegalArgumentException.class, () -> SemVer.parse(text))
                .getMessage();
    }

    // ---------------------------------------------------------------- ordering

    @ParameterizedTest
    @CsvSource({
        "1.9.0, 1.10.0",
        "1.0.0-rc.1, 1.0.0",
        "1.0.0-rc.9, 1.0.0-rc.10",
        "1.0.0-alpha, 1.0.0-alpha.1",
        "1.0.0, 2.0.0",
        "2.0.0, 2.1.0",
        "2.1.0, 2.1.1",
        "0.9.99, 1.0.0",
        "1.0.0-2, 1.0.0-10",
        "1.0.0-10, 1.0.0-a",
        "1.0.0-99999999999999999999, 1.0.0-a",
        "1.0.0-9, 1.0.0-99999999999999999999",
        "1.0.0-A, 1.0.0-a",
        "1.0.0-Z, 1.0.0-a",
        "1.0.0--, 1.0.0-0a",
        "1.0.0--, 1.0.0-A",
        "1.0.0-a, 1.0.0-a-",
        "1.0.0-a-, 1.0.0-a0",
        "1.0.0-alpha, 1.0.0-alphabet",
        "1.0.0-alpha.99, 1.0.0-alphabet",
        "1.0.0-alpha.1, 1.0.0-alpha.a",
        "1.0.0-alpha.z, 1.0.0-alpha.z.0",
        "1.0.0-1.2.3, 1.0.0-1.2.3.4",
        "1.0.0-1.2.3.4, 1.0.0-1.2.4",
        "1.0.0-1, 1.0.0-0a",
        "1.0.0-00a, 1.0.0-0a",
        "1.0.0-zzzz, 1.0.0",
        "1.0.0, 1.0.1-alpha",
        "9.9.9, 10.0.0-0",
        "99999999999999999999.0.0, 100000000000000000000.0.0",
        "1.99999999999999999999.0, 1.100000000000000000000.0",
        "1.0.99999999999999999999, 1.0.100000000000000000000",
    })
    void orders(String lower, String higher) {
        SemVer a = SemVer.parse(lower);
        SemVer b = SemVer.parse(higher);
        assertTrue(a.compareTo(b) < 0, lower + " < " + higher);
        assertTrue(b.compareTo(a) > 0, higher + " > " + lower);
        assertTrue(a.precedenceKey().compareTo(b.precedenceKey()) < 0, a.precedenceKey() + " < " + b.precedenceKey());
        assertTrue(referenceCompare(lower, higher) < 0, "reference agrees");
    }

    @Test
    void specExampleChain() {
        List<String> chain = List.of(
                "1.0.0-alpha",
                "1.0.0-alpha.1",
                "1.0.0-alpha.beta",
                "1.0.0-beta",
                "1.0.0-beta.2",
                "1.0.0-beta.11",
                "1.0.0-rc.1",
                "1.0.0");
        for (int i = 0; i < chain.size(); i++) {
            for (int j = 0; j < chain.size(); j++) {
                SemVer a = SemVer.parse(chain.get(i));
                SemVer b = SemVer.parse(chain.get(j));
                assertEquals(
                        Integer.signum(Integer.compare(i, j)),
                        Integer.signum(a.compareTo(b)),
                        chain.get(i) + " vs " + chain.get(j));
                assertEquals(
                        Integer.signum(Integer.compare(i, j)),
                        Integer.signum(a.precedenceKey().compareTo(b.precedenceKey())),
                        chain.get(i) + " vs " + chain.get(j));
            }
        }
        List<SemVer> shuffled =
                new ArrayList<>(chain.stream().map(SemVer::parse).collect(Collectors.toList()));
        java.util.Collections.shuffle(shuffled, new Random(7));
        shuffled.sort(null);
        assertEquals(chain, shuffled.stream().map(SemVer::text).collect(Collectors.toList()));
    }

    @Test
    void specCoreChain() {
        SemVer a = SemVer.parse("1.0.0");
        SemVer b = SemVer.parse("2.0.0");
        SemVer c = SemVer.parse("2.1.0");
        SemVer d = SemVer.parse("2.1.1");
        assertTrue(a.compareTo(b) < 0 && b.compareTo(c) < 0 && c.compareTo(d) < 0);
    }

    @ParameterizedTest
    @CsvSource({
        "1.0.0+a, 1.0.0+b",
        "1.0.0, 1.0.0+build.5",
        "1.0.0-rc.1+x, 1.0.0-rc.1+y.z",
        "1.0.0-rc.1, 1.0.0-rc.1+0",
    })
    void buildMetadataIsIgnoredByPrecedenceButNotByEquals(String x, String y) {
        SemVer a = SemVer.parse(x);
        SemVer b = SemVer.parse(y);
        assertEquals(0, a.compareTo(b));
        assertEquals(0, b.compareTo(a));
        assertEquals(a.precedenceKey(), b.precedenceKey());
        assertNotEquals(a, b);
    }

    @Test
    void equalsAndHashCodeOnText() {
        assertEquals(SemVer.parse("1.2.3-rc.1+b"), SemVer.parse("1.2.3-rc.1+b"));
        assertEquals(
                SemVer.parse("1.2.3-rc.1+b").hashCode(),
                SemVer.parse("1.2.3-rc.1+b").hashCode());
        assertNotEquals(SemVer.parse("1.2.3-RC.1"), SemVer.parse("1.2.3-rc.1"));
        assertNotEquals(SemVer.parse("1.2.3"), "1.2.3");
        assertEquals(0, SemVer.parse("1.2.3").compareTo(SemVer.parse("1.2.3")));
    }

    // ---------------------------------------------------------------- PEP 440

    @ParameterizedTest
    @CsvSource({
        "1.0.0, 1.0.0",
        "0.0.0, 0.0.0",
        "1.2.3-beta.1, 1.2.3b1",
        "1.0.0-rc.10, 1.0.0rc10",
        "1.0.0-alpha, 1.0.0a0",
        "1.0.0-alpha.0, 1.0.0a0",
        "1.0.0-a, 1.0.0a0",
        "1.0.0-a.3, 1.0.0a3",
        "1.0.0-ALPHA.2, 1.0.0a2",
        "1.0.0-b, 1.0.0b0",
        "1.0.0-Beta.7, 1.0.0b7",
        "1.0.0-rc, 1.0.0rc0",
        "1.0.0-RC.1, 1.0.0rc1",
        "1.0.0-c.4, 1.0.0rc4",
        "1.0.0-C, 1.0.0rc0",
        "2.0.0-dev.3, 2.0.0.dev3",
        "2.0.0-dev, 2.0.0.dev0",
        "2.0.0-DEV.12, 2.0.0.dev12",
        "1.0.0+build.5, 1.0.0+build.5",
        "1.0.0+Build.5, 1.0.0+Build.5",
        "1.0.0+exp-sha.5114f85, 1.0.0+exp.sha.5114f85",
        "1.0.0+a-b-c.d, 1.0.0+a.b.c.d",
        "1.0.0-rc.1+build.5, 1.0.0rc1+build.5",
        "10.20.30-beta.99999999999999999999, 10.20.30b99999999999999999999",
    })
    void pep440(String semver, String pep440) {
        assertEquals(pep440, SemVer.parse(semver).pep440());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "1.0.0-x.7.z.92",
                "1.0.0-0.3.7",
                "1.0.0-alpha.beta",
                "1.0.0-rc.1.2",
                "1.0.0-alpha1",
                "1.0.0-rc1",
                "1.0.0-preview",
                "1.0.0-1",
                "1.0.0-alpha-1",
                "1.0.0-dev.a",
                "1.0.0-post.1",
                "1.0.0-final",
                "1.0.0-beta.0a",
                "1.0.0-alpha.1.2",
                "1.0.0--",
            })
    void pep440RejectsOtherPreReleases(String semver) {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> SemVer.parse(semver).pep440());
        assertTrue(e.getMessage().contains("has no PEP 440 form"), e.getMessage());
        assertTrue(e.getMessage().contains("alpha, a, beta, b, rc, c or dev"), e.getMessage());
        assertTrue(e.getMessage().contains(SemVer.parse(semver).preRelease()), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0.0+-", "1.0.0+a-", "1.0.0+-a", "1.0.0+a--b", "1.0.0+a.-b", "1.0.0+21AF26D3----117B"})
    void pep440RejectsBuildMetadataWithoutLocalVersionForm(String semver) {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> SemVer.parse(semver).pep440());
        assertTrue(e.getMessage().contains("no PEP 440 local version form"), e.getMessage());
    }

    // ---------------------------------------------------------------- precedence key

    @ParameterizedTest
    @CsvSource({
        "1.0.0, 011010010~",
        "1.0.0+abc, 011010010~",
        "10.20.300, 0210022003300~",
        "1.0.0-rc.1, 011010010-2rc!1011!",
        "1.0.0-0, 011010010-1010!",
        "1.0.0--, 011010010-2-!!",
        "1.0.0-12345678901, 011010010-11112345678901!",
    })
    void precedenceKeyLayout(String version, String key) {
        assertEquals(key, SemVer.parse(version).precedenceKey());
    }

    @Test
    void precedenceKeyLengthBound() {
        // Worst case: the shortest core and as many numeric identifiers as fit in 64 characters.
        String worst = "0.0.0-10." + String.join(".", java.util.Collections.nCopies(28, "0"));
        assertEquals(64, worst.length());
        assertEquals(
                SemVer.MAX_PRECEDENCE_KEY_LENGTH,
                SemVer.parse(worst).precedenceKey().length());
        String bigCore = "9".repeat(20) + "." + "9".repeat(21) + "." + "9".repeat(21);
        assertEquals(64, bigCore.length());
        assertTrue(SemVer.parse(bigCore).precedenceKey().length() <= SemVer.MAX_PRECEDENCE_KEY_LENGTH);
    }

    @Test
    void precedenceKeyIsPrintableAscii() {
        Random random = new Random(11);
        for (int i = 0; i < 2_000; i++) {
            String key = SemVer.parse(randomVersion(random)).precedenceKey();
            assertTrue(key.chars().allMatch(c -> c > 0x20 && c < 0x7F), key);
            assertTrue(key.length() <= SemVer.MAX_PRECEDENCE_KEY_LENGTH, key);
        }
    }

    // ---------------------------------------------------------------- properties

    @Test
    void precedenceKeyOrderMatchesCompareTo() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int i = 0; i < 10_000; i++) {
            SemVer a = SemVer.parse(randomVersion(random));
            SemVer b = SemVer.parse(random.nextBoolean() ? mutate(a.text(), random) : randomVersion(random));
            int byCompare = Integer.signum(a.compareTo(b));
            int byKey = Integer.signum(a.precedenceKey().compareTo(b.precedenceKey()));
            assertEquals(
                    byCompare,
                    byKey,
                    "seed " + seed + ": " + a + " vs " + b + " keys " + a.precedenceKey() + " vs " + b.precedenceKey());
            assertEquals(
                    byCompare,
                    Integer.signum(referenceCompare(a.text(), b.text())),
                    "seed " + seed + ": reference disagrees on " + a + " vs " + b);
            assertEquals(-byCompare, Integer.signum(b.compareTo(a)), "seed " + seed + ": antisymmetry " + a + " " + b);
        }
    }

    @Test
    void sortingMatchesReferenceComparator() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int round = 0; round < 300; round++) {
            List<String> texts = new ArrayList<>();
            int n = 2 + random.nextInt(40);
            for (int i = 0; i < n; i++) {
                texts.add(
                        texts.isEmpty() || random.nextInt(3) > 0
                                ? randomVersion(random)
                                : mutate(texts.get(random.nextInt(texts.size())), random));
            }
            List<String> byReference = new ArrayList<>(texts);
            byReference.sort(SemVerTest::referenceCompare);
            List<String> bySemVer =
                    texts.stream().map(SemVer::parse).sorted().map(SemVer::text).collect(Collectors.toList());
            List<String> byKey = texts.stream()
                    .map(SemVer::parse)
                    .sorted(Comparator.comparing(SemVer::precedenceKey))
                    .map(SemVer::text)
                    .collect(Collectors.toList());
            assertEquals(byReference, bySemVer, "seed " + seed);
            assertEquals(byReference, byKey, "seed " + seed);
            for (int i = 1; i < bySemVer.size(); i++) {
                assertTrue(referenceCompare(bySemVer.get(i - 1), bySemVer.get(i)) <= 0, "seed " + seed);
            }
        }
    }

    @Test
    void randomVersionsRoundTripAndPep440NeverFailsUnexpectedly() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int i = 0; i < 5_000; i++) {
            String text = randomVersion(random);
            SemVer v = SemVer.parse(text);
            assertEquals(text, v.text(), "seed " + seed);
            try {
                String pep = v.pep440();
                assertTrue(
                        pep.matches(
                                "[0-9]+\\.[0-9]+\\.[0-9]+((a|b|rc|\\.dev)[0-9]+)?(\\+[A-Za-z0-9]+(\\.[A-Za-z0-9]+)*)?"),
                        "seed " + seed + ": " + pep);
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().contains("PEP 440"), "seed " + seed + ": " + e.getMessage());
            }
        }
    }

    // ---------------------------------------------------------------- reference implementation (from the spec)

    /** SemVer 2.0.0 section 11, written without looking at SemVer.compareTo. */
    static int referenceCompare(String x, String y) {
        String[] a = stripBuild(x).split("-", 2);
        String[] b = stripBuild(y).split("-", 2);
        String[] coreA = a[0].split("\\.");
        String[] coreB = b[0].split("\\.");
        for (int i = 0; i < 3; i++) {
            int c = new BigInteger(coreA[i]).compareTo(new BigInteger(coreB[i]));
            if (c != 0) {
                return c;
            }
        }
        boolean preA = a.length == 2;
        boolean preB = b.length == 2;
        if (!preA || !preB) {
            return Boolean.compare(!preA, !preB);
        }
        String[] idsA = a[1].split("\\.");
        String[] idsB = b[1].split("\\.");
        for (int i = 0; i < idsA.length && i < idsB.length; i++) {
            boolean numA = idsA[i].matches("[0-9]+");
            boolean numB = idsB[i].matches("[0-9]+");
            int c;
            if (numA && numB) {
                c = new BigInteger(idsA[i]).compareTo(new BigInteger(idsB[i]));
            } else if (numA) {
                c = -1;
            } else if (numB) {
                c = 1;
            } else {
                c = idsA[i].compareTo(idsB[i]);
            }
            if (c != 0) {
                return c;
            }
        }
        return idsA.length - idsB.length;
    }

    private static String stripBuild(String v) {
        int plus = v.indexOf('+');
        return plus < 0 ? v : v.substring(0, plus);
    }

    // ---------------------------------------------------------------- generators

    private static final String[] WORDS = {
        "alpha",
        "beta",
        "rc",
        "a",
        "b",
        "A",
        "Z",
        "z",
        "-",
        "--",
        "a-",
        "-a",
        "a-b",
        "0a",
        "1a",
        "00a",
        "0-",
        "x",
        "xy",
        "xyz",
        "alphabet",
        "RC",
        "dev",
        "9z",
        "zz",
    };

    static String randomVersion(Random r) {
        while (true) {
            StringBuilder s = new StringBuilder();
            s.append(randomNumber(r))
                    .append('.')
                    .append(randomNumber(r))
                    .append('.')
                    .append(randomNumber(r));
            if (r.nextInt(10) < 7) {
                s.append('-').append(randomIds(r, true));
            }
            if (r.nextInt(10) < 3) {
                s.append('+').append(randomIds(r, false));
            }
            if (s.length() <= 64) {
                return s.toString();
            }
        }
    }

    private static String randomNumber(Random r) {
        switch (r.nextInt(6)) {
            case 0:
                return "0";
            case 1:
                return "1";
            case 2:
                return String.valueOf(r.nextInt(12));
            case 3:
                return String.valueOf(r.nextInt(200));
            case 4: {
                StringBuilder big = new StringBuilder().append((char) ('1' + r.nextInt(9)));
                int len = r.nextInt(22);
                for (int i = 0; i < len; i++) {
                    big.append((char) ('0' + r.nextInt(10)));
                }
                return big.toString();
            }
            default:
                return String.valueOf(r.nextInt(3) * 9 + 1);
        }
    }

    private static String randomIds(Random r, boolean pre) {
        int n = 1 + r.nextInt(4);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(randomId(r, pre));
        }
        return String.join(".", ids);
    }

    private static String randomId(Random r, boolean pre) {
        int kind = r.nextInt(4);
        if (kind == 0) {
            return WORDS[r.nextInt(WORDS.length)];
        }
        if (kind == 1) {
            return randomNumber(r);
        }
        if (kind == 2 && !pre) {
            return "0" + r.nextInt(100); // leading zeros are fine in build metadata
        }
        String alphabet = "0aAz9-Zb";
        StringBuilder s = new StringBuilder();
        int len = 1 + r.nextInt(5);
        for (int i = 0; i < len; i++) {
            s.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        String id = s.toString();
        if (pre && id.matches("0[0-9]+")) {
            return id.substring(1) + "x";
        }
        return id;
    }

    /** A version close to v, to exercise ties and near-ties. */
    static String mutate(String v, Random r) {
        for (int attempt = 0; attempt < 20; attempt++) {
            String build = v.contains("+") ? v.substring(v.indexOf('+')) : "";
            String noBuild = stripBuild(v);
            String core = noBuild.split("-", 2)[0];
            List<String> pre = noBuild.contains("-")
                    ? new ArrayList<>(List.of(noBuild.split("-", 2)[1].split("\\.")))
                    : new ArrayList<>();
            switch (r.nextInt(7)) {
                case 0:
                    build = r.nextBoolean() ? "" : "+" + randomIds(r, false);
                    break;
                case 1:
                    pre.add(randomId(r, true));
                    break;
                case 2:
                    if (!pre.isEmpty()) {
                        pre.remove(pre.size() - 1);
                    }
                    break;
                case 3:
                    if (!pre.isEmpty()) {
                        pre.set(r.nextInt(pre.size()), randomId(r, true));
                    }
                    break;
                case 4:
                    pre.clear();
                    break;
                case 5: {
                    String[] parts = core.split("\\.");
                    parts[r.nextInt(3)] = randomNumber(r);
                    core = String.join(".", parts);
                    break;
                }
                default:
                    break; // same precedence, maybe same text
            }
            String result = core + (pre.isEmpty() ? "" : "-" + String.join(".", pre)) + build;
            if (result.length() <= 64) {
                return result;
            }
        }
        return v;
    }
}
