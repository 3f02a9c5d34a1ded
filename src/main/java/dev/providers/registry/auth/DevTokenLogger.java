package dev.providers.registry.auth;

import dev.providers.registry.config.RegistryConfig;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Dev mode only (the bean does not exist in other builds): logs a ready-to-use token for the example organization
 * {@code example}, signed with the dev key pair under {@code src/main/resources/dev/}.
 */
@IfBuildProfile("dev")
@ApplicationScoped
public class DevTokenLogger {

    private static final Logger LOG = Logger.getLogger(DevTokenLogger.class);

    void onStart(
            @Observes StartupEvent event,
            RegistryConfig config,
            @ConfigProperty(name = "mp.jwt.verify.issuer") String issuer) {
        RegistryConfig.Auth auth = config.auth();
        String token = Jwt.issuer(issuer)
                .subject("dev-user")
                .claim("email", "dev@example.org")
                .claim(auth.orgSlugClaim(), "example")
                .claim(auth.orgIdClaim(), "org_example")
                .claim(auth.orgNameClaim(), "Example Org")
                .groups(Set.of(auth.publisherGroup()))
                .expiresIn(Duration.ofDays(30))
                .sign();
        LOG.infof("Dev token for organization 'example' (group %s), valid 30 days:%n%s", auth.publisherGroup(), token);
    }
}
