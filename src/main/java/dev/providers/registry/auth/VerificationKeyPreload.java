package dev.providers.registry.auth;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Loads the token verification key ({@code mp.jwt.verify.publickey.location}: a PEM file or a JWKS, possibly over
 * HTTPS) before the first authenticated request needs it. The parser resolves its key the first time it verifies a
 * token and keeps it; this makes that first time a probe token whose signature cannot verify, so that the key is
 * loaded and the verification path set up without accepting anything. A key that cannot be loaded fails the probe
 * as it would fail a request, and the first request then tries again, as before.
 */
@ApplicationScoped
public class VerificationKeyPreload {

    private final JWTParser parser;
    private final String probe;

    public VerificationKeyPreload(JWTParser parser, JWTAuthContextInfo context) {
        this.parser = parser;
        String algorithm = context.getSignatureAlgorithm() == null
                ? "RS256"
                : context.getSignatureAlgorithm().stream()
                        .findFirst()
                        .map(SignatureAlgorithm::getAlgorithm)
                        .orElse("RS256");
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        this.probe = base64.encodeToString(
                        ("{\"alg\":\"" + algorithm + "\",\"typ\":\"JWT\"}").getBytes(StandardCharsets.UTF_8))
                + "." + base64.encodeToString("{\"sub\":\"key-preload\",\"exp\":1}".getBytes(StandardCharsets.UTF_8))
                + "." + base64.encodeToString(new byte[32]);
    }

    /** Verifies the probe, which is always refused (its signature is zeros), for the key it makes the parser load. */
    public void preload() {
        try {
            parser.parse(probe);
        } catch (ParseException expected) {
            // refused, as it must be: the key is loaded now (or failed to load, as it would for a request)
        }
    }
}
