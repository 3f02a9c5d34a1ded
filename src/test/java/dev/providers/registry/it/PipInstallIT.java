package dev.providers.registry.it;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.providers.registry.support.Multipart;
import dev.providers.registry.support.TestServers;
import dev.providers.registry.support.Wheels;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real client: pip in a fresh virtual environment ({@code python3 -m venv}) installs providers from the
 * packaged registry's simple index, with every other pip configuration switched off ({@code PIP_CONFIG_FILE=/dev/null},
 * {@code --isolated}, no other environment variable, no extra index or find-links: this machine's pip is configured
 * with local mirrors that must not answer instead of the registry). Loopback only: the index on 127.0.0.1, the
 * URL-registered wheels on the HTTPS wheel server on 127.0.0.1 (test CA passed with {@code --cert}).
 */
@QuarkusIntegrationTest
@WithTestResource(PackagedAppResource.class)
class PipInstallIT extends FreshOrganizationIT {

    private static final Path WORK = Path.of("target", "pip-it").toAbsolutePath();
    private static final Path VENV = WORK.resolve("venv");
    private static final String CA = Path.of("src", "test", "resources", "tls", "test-ca.pem")
            .toAbsolutePath()
            .toString();

    @Override
    protected String prefix() {
        return "pip";
    }

    @BeforeAll
    static void freshVirtualEnvironment() throws Exception {
        deleteRecursively(WORK);
        Files.createDirectories(WORK);
        Result venv = run(List.of("python3", "-m", "venv", VENV.toString()));
        assertEquals(
                0,
                venv.exit(),
                "python3 -m venv failed (Debian: apt-get install python3-venv; .ci/run does):\n" + venv.output());
        Result version = run(List.of(python(), "-m", "pip", "--version"));
        assertEquals(0, version.exit(), version.output());
    }

    @Test
    void installsAUrlRegisteredWheelAndImportsIt() throws Exception {
        Project p = new Project("acme-pip");
        p.publish("1.0.0");
        Result install = pip("install", "--index-url", index(null), p.dist + "==1.0.0");
        assertEquals(0, install.exit(), install.output());
        Result imported =
                run(List.of(python(), "-c", "import " + p.pkg + ".provider as m; print(m.provide()['version'])"));
        assertEquals(0, imported.exit(), imported.output());
        assertEquals("1.0.0", imported.output().strip());
        // pip took the dependency information from the registry's METADATA file (PEP 658), not from the wheel
        assertTrue(
                install.output()
                        .contains("Obtaining dependency information for " + p.dist + "==1.0.0 from http://127.0.0.1:"
                                + RestAssured.port + "/simple/" + org + "/"),
                install.output());
    }

    @Test
    void installsAnUploadedWheelFromTheRegistrysOwnStoreAndImportsIt() throws Exception {
        Project p = new Project("acme-hosted");
        byte[] wheel = p.upload("2.0.0");
        Result install = pip("install", "--index-url", index(null), p.dist + "==2.0.0");
        assertEquals(0, install.exit(), install.output());
        Result imported =
                run(List.of(python(), "-c", "import " + p.pkg + ".provider as m; print(m.provide()['version'])"));
        assertEquals(0, imported.exit(), imported.output());
        assertEquals("2.0.0", imported.output().strip());
        // the file and its METADATA (PEP 658) come from the registry's download path, content-addressed
        String download = "http://127.0.0.1:" + RestAssured.port + "/files/" + Wheels.sha256Hex(wheel) + "/";
        assertTrue(
                install.output()
                        .contains("Obtaining dependency information for " + p.dist + "==2.0.0 from " + download),
                install.output());

        // tenant scope: the hosted file is found with the owner's token only
        given().header("Authorization", "Bearer " + token)
                .contentType(ContentType.JSON)
                .body("{\"scope\": \"tenant\"}")
                .patch("/providers/" + org + "/" + p.name)
                .then()
                .statusCode(200);
        Result uninstall = run(List.of(python(), "-m", "pip", "uninstall", "-y", "--isolated", p.dist));
        assertEquals(0, uninstall.exit(), uninstall.output());
        Result anonymous = pip("install", "--index-url", index(null), p.dist + "==2.0.0");
        assertNotEquals(0, anonymous.exit(), anonymous.output());
        Result owner = pip("install", "--index-url", index(token), p.dist + "==2.0.0");
        assertEquals(0, owner.exit(), owner.output());
        assertEquals("2.0.0", installedVersion(p));
    }

    @Test
    void aYankedVersionIsSkippedUnlessPinned() throws Exception {
        Project p = new Project("acme-yank");
        p.publish("1.0.0");
        p.publish("1.1.0");
        given().header("Authorization", "Bearer " + token)
                .contentType(ContentType.JSON)
                .body("{\"reason\": \"<b>broken</b>\"}")
                .post("/providers/" + org + "/" + p.name + "/versions/1.1.0/yank")
                .then()
                .statusCode(200);

        Result latest = pip("install", "--index-url", index(null), p.dist);
        assertEquals(0, latest.exit(), latest.output());
        assertEquals("1.0.0", installedVersion(p));

        Result pinned = pip("install", "--index-url", index(null), p.dist + "==1.1.0");
        assertEquals(0, pinned.exit(), pinned.output());
        assertEquals("1.1.0", installedVersion(p));
        assertTrue(pinned.output().contains("yanked"), pinned.output());
    }

    @Test
    void aTenantProviderInstallsWithTheOwnersTokenOnly() throws Exception {
        Project p = new Project("acme-tenant");
        p.publish("1.0.0");
        given().header("Authorization", "Bearer " + token)
                .contentType(ContentType.JSON)
                .body("{\"scope\": \"tenant\"}")
                .patch("/providers/" + org + "/" + p.name)
                .then()
                .statusCode(200);

        Result anonymous = pip("install", "--index-url", index(null), p.dist + "==1.0.0");
        assertNotEquals(0, anonymous.exit(), anonymous.output());
        assertTrue(anonymous.output().contains("No matching distribution"), anonymous.output());

        Result owner = pip("install", "--index-url", index(token), p.dist + "==1.0.0");
        assertEquals(0, owner.exit(), owner.output());
        assertEquals("1.0.0", installedVersion(p));
    }

    @Test
    void pipRefusesAWheelWhoseBytesChangedAfterPublish() throws Exception {
        Project p = new Project("acme-changed");
        String path = p.publish("1.0.0");
        // the wheel server now answers other bytes under the published URL
        TestServers.wheels()
                .serve(
                        path,
                        Wheels.builder(p.dist, "1.0.0")
                                .packageName(p.pkg)
                                .padding(64)
                                .build());

        Result install = pip("install", "--index-url", index(null), p.dist + "==1.0.0");
        assertNotEquals(0, install.exit(), install.output());
        assertTrue(install.output().contains("DO NOT MATCH THE HASHES"), install.output());
        Result imported = run(List.of(python(), "-c", "import " + p.pkg));
        assertNotEquals(0, imported.exit(), "nothing was installed: " + imported.output());
    }

    /** A provider of this test's organization whose wheels carry a distribution name of their own. */
    private final class Project {
        final String name;
        final String dist;
        final String pkg;

        Project(String base) {
            String suffix = UUID.randomUUID().toString().substring(0, 8);
            name = base.substring(base.indexOf('-') + 1) + "-" + suffix;
            dist = base + "-" + suffix;
            pkg = dist.replace('-', '_');
        }

        /** Uploads {@code version} to POST /providers/publish as the Python SDK does; returns the wheel. */
        byte[] upload(String version) {
            byte[] wheel = Wheels.builder(dist, version).packageName(pkg).build();
            Multipart body = Multipart.sdk(
                    Multipart.sdkMetadata(org + "/" + name, version, "Display " + name, "About " + name),
                    Wheels.fileName(dist, version),
                    wheel);
            given().header("Authorization", "Bearer " + token)
                    .contentType(body.contentType())
                    .body(body.bytes())
                    .post("/providers/publish")
                    .then()
                    .statusCode(201);
            return wheel;
        }

        /** Publishes {@code version} from the wheel server; returns the wheel's path there. */
        String publish(String version) {
            byte[] wheel = Wheels.builder(dist, version).packageName(pkg).build();
            String path = "/" + UUID.randomUUID() + "/" + Wheels.fileName(dist, version);
            TestServers.wheels().serve(path, wheel);
            JsonObject body = new JsonObject()
                    .put("name", org + "/" + name)
                    .put("version", version)
                    .put(
                            "wheel_url",
                            "https://127.0.0.1:" + TestServers.wheels().port() + path)
                    .put("sha256", Wheels.sha256Hex(wheel));
            given().header("Authorization", "Bearer " + token)
                    .contentType(ContentType.JSON)
                    .body(body.encode())
                    .post("/provider-versions")
                    .then()
                    .statusCode(201);
            return path;
        }
    }

    private String index(String jwt) {
        String credentials = jwt == null ? "" : "__token__:" + jwt + "@";
        return "http://" + credentials + "127.0.0.1:" + RestAssured.port + "/simple/" + org + "/";
    }

    private String installedVersion(Project p) throws Exception {
        Result version =
                run(List.of(python(), "-c", "import importlib.metadata as m; print(m.version('" + p.dist + "'))"));
        assertEquals(0, version.exit(), version.output());
        return version.output().strip();
    }

    private static Result pip(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                python(),
                "-m",
                "pip",
                args[0],
                "--isolated",
                "--no-input",
                "--disable-pip-version-check",
                "--no-cache-dir",
                "--cert",
                CA,
                "--timeout",
                "30",
                "--retries",
                "0",
                "-v"));
        command.addAll(List.of(args).subList(1, args.length));
        return run(command);
    }

    private static String python() {
        return VENV.resolve("bin").resolve("python").toString();
    }

    private record Result(int exit, String output) {}

    /** Runs a command with no pip configuration but ours; its output (stdout and stderr) for the assertion message. */
    private static Result run(List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // A bare environment: no PIP_* settings, and none of the CA bundle variables (REQUESTS_CA_BUNDLE,
        // CURL_CA_BUNDLE, ...) that requests would prefer to --cert.
        Map<String, String> env = builder.environment();
        String path = env.getOrDefault("PATH", "/usr/bin:/bin");
        env.clear();
        env.put("PATH", path);
        env.put("HOME", WORK.toString());
        env.put("LANG", "C.UTF-8");
        env.put("PIP_CONFIG_FILE", "/dev/null");
        Path log = Files.createTempFile(WORK, "run-", ".log");
        builder.redirectOutput(log.toFile());
        Process process = builder.start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + command + "\n" + Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
