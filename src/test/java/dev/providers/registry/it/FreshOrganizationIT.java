package dev.providers.registry.it;

import dev.providers.registry.support.TestTokens;
import io.restassured.RestAssured;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** An integration test against the packaged artifact whose every test publishes as an organization of its own. */
abstract class FreshOrganizationIT {

    protected String org;
    protected String orgId;
    protected String token;

    /** The organization slug's prefix, e.g. {@code it} for {@code it-1a2b3c4d} (id {@code org_it_1a2b3c4d}). */
    protected abstract String prefix();

    @BeforeAll
    static void readableFailures() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @BeforeEach
    void freshOrganization() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        org = prefix() + "-" + suffix;
        orgId = "org_" + prefix() + "_" + suffix;
        token = TestTokens.org(org, orgId);
    }
}
