package dev.providers.registry.reliability;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.providers.registry.support.RegistryTestBase;
import dev.providers.registry.support.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Thousands of generated publish bodies (wrong types, missing fields, huge strings, deep nesting, invalid UTF-8,
 * numbers for strings, nulls, duplicate keys, lone surrogates, NUL, garbage): never a 5xx, always a problem body,
 * never a row. Reproducible: the seed is printed in every failure message ({@code -Dfuzz.seed=N} replays it).
 */
@QuarkusTest
class PublishBodyFuzzTest extends RegistryTestBase {

    private static final int BODIES = 2000;
    private static final Set<Integer> EXPECTED = Set.of(400, 403, 413, 415, 422);
    private static final String[] FIELDS = {
        "name",
        "version",
        "wheel_url",
        "organization_id",
        "sha256",
        "package_name",
        "schemas",
        "resource_schemas",
        "config_schema",
        "outputs_schema",
        "metadata",
        "changelog",
        "entrypoint"
    };

    @Inject
    Pool db;

    @Test
    void generatedBodiesNeverCrashNeverWrite() {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        Random random = new Random(seed);
        String fuzzOrg = org;
        for (int i = 0; i < BODIES; i++) {
            byte[] body = generate(random, fuzzOrg);
            Response response = given().header("Authorization", TestTokens.bearer(token))
                    .contentType("application/json")
                    .body(body)
                    .post("/provider-versions");
            String where = "seed " + seed + ", body #" + i + ": " + preview(body);
            assertTrue(
                    EXPECTED.contains(response.statusCode()),
                    "status " + response.statusCode() + " for " + where + " -> " + response.asString());
            assertEquals("application/problem+json", response.contentType(), where);
            assertNotNull(response.jsonPath().getString("detail"), where);
            assertEquals(response.statusCode(), response.jsonPath().getInt("status"), where);
        }
        long rows = db.preparedQuery("SELECT count(*) FROM providers WHERE prefix = $1")
                .executeAndAwait(Tuple.of(fuzzOrg))
                .iterator()
                .next()
                .getLong(0);
        assertEquals(0, rows, "seed " + seed + ": a refused body wrote a provider");
    }

    private byte[] generate(Random r, String fuzzOrg) {
        return switch (r.nextInt(10)) {
            case 0 -> randomBytes(r);
            case 1 -> deepNesting(r);
            case 2 -> duplicateKeys(r, fuzzOrg);
            case 3 -> invalidUtf8(r, fuzzOrg);
            case 4 -> truncated(r, fuzzOrg);
            default -> mutatedObject(r, fuzzOrg).encode().getBytes(StandardCharsets.UTF_8);
        };
    }

    /** A plausible body with a few fields replaced by values of the wrong shape; the URL is never fetchable. */
    private JsonObject mutatedObject(Random r, String fuzzOrg) {
        JsonObject body = new JsonObject()
                .put("name", fuzzOrg + "/fuzz")
                .put("version", "1.0.0")
                .put(
                        "wheel_url",
                        r.nextBoolean()
                                ? "http://wheels.registry.test/fuzz-1.0.0-py3-none-any.whl"
                                : "https://wheels.registry.test/not-a-wheel.zip");
        int mutations = 1 + r.nextInt(5);
        for (int m = 0; m < mutations; m++) {
            String field = FIELDS[r.nextInt(FIELDS.length)];
            if (r.nextInt(6) == 0) {
                body.remove(field);
            } else {
                body.put(field, randomValue(r, 0));
            }
        }
        if (body.getValue("wheel_url") instanceof String url && url.startsWith("https://") && url.endsWith(".whl")) {
            body.put("wheel_url", "ftp://never/" + url.length());
        }
        return body;
    }

    private Object randomValue(Random r, int depth) {
        return switch (r.nextInt(depth > 3 ? 7 : 10)) {
            case 0 -> null;
            case 1 -> r.nextLong();
            case 2 -> r.nextDouble() * 1e300;
            case 3 -> r.nextBoolean();
            case 4 -> "x".repeat(r.nextInt(20) == 0 ? 30_000 + r.nextInt(100_000) : r.nextInt(300));
            case 5 -> weirdString(r);
            case 6 -> "";
            case 7 -> {
                io.vertx.core.json.JsonArray array = new io.vertx.core.json.JsonArray();
                for (int i = 0; i < r.nextInt(40); i++) {
                    array.add(randomValue(r, depth + 1));
                }
                yield array;
            }
            default -> {
                JsonObject object = new JsonObject();
                for (int i = 0; i < r.nextInt(8); i++) {
                    object.put(
                            r.nextBoolean() ? FIELDS[r.nextInt(FIELDS.length)] : weirdString(r),
                            randomValue(r, depth + 1));
                }
                yield object;
            }
        };
    }

    private static String weirdString(Random r) {
        List<String> pieces = List.of(
                "\u0000",
                "\ud800",
                "\udfff",
                "\r\n",
                "../",
                "%00",
                "\u202e",
                "'; DROP TABLE providers;--",
                "ＡＢＣ",
                "😀",
                "a/b/c",
                "UPPER/Case",
                "1.0.0-01",
                "v1",
                "<script>",
                "\\",
                "\"");
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 1 + r.nextInt(4); i++) {
            out.append(pieces.get(r.nextInt(pieces.size())));
        }
        return out.toString();
    }

    private static byte[] randomBytes(Random r) {
        byte[] bytes = new byte[1 + r.nextInt(400)];
        r.nextBytes(bytes);
        return bytes;
    }

    private static byte[] deepNesting(Random r) {
        int depth = 500 + r.nextInt(3000);
        String open = r.nextBoolean() ? "[" : "{\"a\":";
        String close = open.equals("[") ? "]" : "}";
        return ("{\"name\":" + open.repeat(depth) + "1" + close.repeat(depth) + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] duplicateKeys(Random r, String fuzzOrg) {
        return ("{\"name\":\"" + fuzzOrg + "/a\",\"version\":\"1.0.0\",\"name\":\"" + fuzzOrg
                        + "/b\",\"wheel_url\":\"x\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] invalidUtf8(Random r, String fuzzOrg) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("{\"name\":\"" + fuzzOrg + "/").getBytes(StandardCharsets.UTF_8));
        byte[][] invalid = {
            {(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF8, (byte) 0x88}
        };
        out.writeBytes(invalid[r.nextInt(invalid.length)]);
        out.writeBytes("\",\"version\":\"1.0.0\",\"wheel_url\":\"https://x.test/a-1.0.0-py3-none-any.whl\"}"
                .getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private byte[] truncated(Random r, String fuzzOrg) {
        byte[] full = mutatedObject(r, fuzzOrg).encode().getBytes(StandardCharsets.UTF_8);
        return java.util.Arrays.copyOf(full, r.nextInt(full.length));
    }

    private static String preview(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
        return text.replaceAll("[^\\x20-\\x7e]", "?") + (body.length > 200 ? "… (" + body.length + " bytes)" : "");
    }
}
