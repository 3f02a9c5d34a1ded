package dev.providers.registry.runtime;

import dev.providers.registry.config.RegistryConfig;
import dev.providers.registry.identity.SemVer;
import dev.providers.registry.problem.DatabaseFailures;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** {@code registry.runtime.bootstrap-version} + {@code -image}: one runtime version for a fresh installation. */
@ApplicationScoped
public class RuntimeBootstrap {

    private static final Logger LOG = Logger.getLogger(RuntimeBootstrap.class);

    void onStart(@Observes StartupEvent event, RegistryConfig config, RuntimeVersionService service) throws Throwable {
        var runtime = config.runtime();
        if (runtime.bootstrapVersion().isEmpty() || runtime.bootstrapImage().isEmpty()) {
            return;
        }
        SemVer version = SemVer.parse(runtime.bootstrapVersion().get());
        // Instances starting together on a fresh database all see the table empty; the unique version key lets one
        // of them register it, and the others start as if they had found it.
        boolean created = VertxContextSupport.subscribeAndAwait(
                () -> service.bootstrap(version, runtime.bootstrapImage().get())
                        .onFailure(DatabaseFailures::isUniqueViolation)
                        .recoverWithItem(false));
        if (created) {
            LOG.infof(
                    "Registered bootstrap runtime version %s (%s)",
                    version.text(), runtime.bootstrapImage().get());
        }
    }
}
