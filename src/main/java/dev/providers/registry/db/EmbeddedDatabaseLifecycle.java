package dev.providers.registry.db;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Ties the embedded server to the application: it stops when the application stops, except in dev mode, where
 * a live reload also stops the application and the server must outlive it (it then stops with the JVM).
 */
@ApplicationScoped
public class EmbeddedDatabaseLifecycle {

    void onStart(@Observes StartupEvent event) {
        System.setProperty(EmbeddedDatabase.APPLICATION_RUNNING, "true");
    }

    void onStop(@Observes ShutdownEvent event) {
        System.clearProperty(EmbeddedDatabase.APPLICATION_RUNNING);
        if (LaunchMode.current() != LaunchMode.DEVELOPMENT) {
            EmbeddedDatabase.stop();
        }
    }
}
