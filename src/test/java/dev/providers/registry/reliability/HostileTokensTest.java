package dev.providers.registry.reliability;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.providers.registry.support.RegistryTestBase;
import dev.providers.registry.support.TestServers;
import dev.providers.registry.support.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Forged and unusable tokens: 401 with a problem body, nothing fetched, nothing written. */
@QuarkusTest
class HostileTokensTest extends RegistryTestBase {

    @Inject
    Pool db;

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private String claims(long iat, long exp, Long nbf) {
        return "{\"iss\":\"" + TestTokens.ISSUER + "\",\"sub\":\"forger\",\"org_slug\":\"" + org + "\",\"org_id\":\""
                + orgId + "\",\"iat\":" + iat + ",\"exp\":" + exp + (nbf == null ? "" : ",\"nbf\":" + nbf) + "}";
    }

    private void refused(String token, String name, Served wheel) {
        expectProblem(
                given().header("Authorization", "Bearer " + token)
                        .contentType(ContentType.JSON)
                        .body(body(org + "/" + name, "1.0.0", wheel.url()).encode())
                        .post("/provider-versions"),
                401,
                "unauthorized");
    }

    @Test
    void forgedOrUnusableTokensAreRefusedAndWriteNothing() throws Exception {
        String name = unique("forged");
        Served wheel = serveWheel(name, "1.0.0");
        long now = Instant.now().getEpochSecond();

        // alg none, no signature
        refused(b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(claims(now, now + 600, null)) + ".", name, wheel);
        // HS256 "signed" with the public key as the HMAC secret (the classic key-confusion attack)
        String header = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
        String payload = b64(claims(now, now + 600, null));
        Mac mac = Mac.getInstance("HmacSHA256");
        byte[] publicKey = Files.readAllBytes(Path.of("src/test/resources/jwt/test-public.pem"));
        mac.init(new SecretKeySpec(publicKey, "HmacSHA256"));
        String signature = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(mac.doFinal((header + "." + payload).getBytes(StandardCharsets.US_ASCII)));
        refused(header + "." + payload + "." + signature, name, wheel);
        // expired, not yet valid, signed by another key, another issuer, no organization claims
        refused(TestTokens.expired(org, orgId), name, wheel);
        refused(TestTokens.claims(org, orgId).claim("nbf", now + 3600).sign(), name, wheel);
        refused(TestTokens.wrongKey(org, orgId), name, wheel);
        refused(TestTokens.wrongIssuer(org, orgId), name, wheel);
        refused(TestTokens.claims(null, null).sign(), name, wheel);
        // a valid token whose payload was edited after signing
        String genuine = TestTokens.org(org, orgId);
        String[] parts = genuine.split("\\.");
        refused(
                parts[0] + "." + b64(claims(now, now + 600, null).replace(orgId, "org_someone_else")) + "." + parts[2],
                name,
                wheel);

        assertEquals(0, TestServers.wheels().requestCount(wheel.path()));
        long rows = db.preparedQuery("SELECT count(*) FROM providers WHERE prefix = $1")
                .executeAndAwait(Tuple.of(org))
                .iterator()
                .next()
                .getLong(0);
        assertEquals(0, rows, "nothing written");
    }
}
