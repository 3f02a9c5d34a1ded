package dev.providers.registry.support;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.smallrye.jwt.util.KeyUtils;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Real JWTs signed with the test key pair (src/test/resources/jwt), as an identity provider would issue them. The
 * key is read explicitly, not from {@code smallrye.jwt.sign.key.location}, so that the integration tests (whose JVM
 * has no test-profile configuration) sign the same way.
 */
public final class TestTokens {

    public static final String ISSUER = "https://issuer.registry.test";
    public static final String PUBLISHER_GROUP = "platform-publisher";

    private static PrivateKey signingKey;

    private TestTokens() {}

    private static synchronized PrivateKey signingKey() {
        if (signingKey == null) {
            try {
                signingKey = KeyUtils.readPrivateKey("jwt/test-private.pem");
            } catch (Exception e) {
                throw new IllegalStateException("cannot read jwt/test-private.pem", e);
            }
        }
        return signingKey;
    }

    public static JwtClaimsBuilder claims(String slug, String orgId) {
        JwtClaimsBuilder builder = Jwt.issuer(ISSUER).subject("user-" + slug).expiresIn(Duration.ofHours(1));
        if (slug != null) {
            builder.claim("org_slug", slug);
        }
        if (orgId != null) {
            builder.claim("org_id", orgId).claim("org_name", "Org " + slug);
        }
        return builder;
    }

    /** A customer token of organization {@code slug} with id {@code orgId}. */
    public static String org(String slug, String orgId) {
        return claims(slug, orgId).sign(signingKey());
    }

    /** A first-party publisher without organization claims (the console's tokens). */
    public static String publisher() {
        // The audience is ignored unless mp.jwt.verify.audiences is configured (AudienceTest configures this one).
        return Jwt.issuer(ISSUER)
                .subject("console")
                .audience("provider-registry")
                .groups(Set.of(PUBLISHER_GROUP))
                .expiresIn(Duration.ofHours(1))
                .sign(signingKey());
    }

    public static String expired(String slug, String orgId) {
        Instant past = Instant.now().minus(Duration.ofHours(2));
        return claims(slug, orgId)
                .issuedAt(past)
                .expiresAt(past.plus(Duration.ofMinutes(5)))
                .sign(signingKey());
    }

    public static String wrongIssuer(String slug, String orgId) {
        return claims(slug, orgId).issuer("https://someone-else.test").sign(signingKey());
    }

    public static String wrongKey(String slug, String orgId) {
        try {
            PrivateKey other = KeyUtils.readPrivateKey("jwt/other-private.pem");
            return claims(slug, orgId).sign(other);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }
}
