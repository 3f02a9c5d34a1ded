package dev.providers.registry.db;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Stops the embedded server with the application (also on dev-mode live reload, which restarts the app). */
@ApplicationScoped
public class EmbeddedDatabaseLifecycle {

    void onStart(@Observes StartupEvent event) {
        EmbeddedDatabase.stoppedWithApplication();
    }

    void onStop(@Observes ShutdownEvent event) {
        EmbeddedDatabase.stop();
    }
}
