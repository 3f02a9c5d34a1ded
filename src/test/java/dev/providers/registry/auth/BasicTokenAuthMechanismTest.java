package dev.providers.registry.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class BasicTokenAuthMechanismTest {

    private static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void onlyTheTokenUserCarriesAToken() {
        assertEquals("eyJ.a.b", BasicTokenAuthMechanism.token(basic("__token__:eyJ.a.b")));
        assertEquals("a:b", BasicTokenAuthMechanism.token(basic("__token__:a:b")));
        assertEquals(
                "eyJ",
                BasicTokenAuthMechanism.token("basic " + basic("__token__:eyJ").substring(6)));
        assertNull(BasicTokenAuthMechanism.token(basic("alice:secret")));
        assertNull(BasicTokenAuthMechanism.token(basic("__token__:")));
        assertNull(BasicTokenAuthMechanism.token(basic("__token__")));
        assertNull(BasicTokenAuthMechanism.token("Basic !!!not-base64"));
        assertNull(BasicTokenAuthMechanism.token("Bearer eyJ"));
        assertNull(BasicTokenAuthMechanism.token("Basic "));
        assertNull(BasicTokenAuthMechanism.token(null));
    }
}
