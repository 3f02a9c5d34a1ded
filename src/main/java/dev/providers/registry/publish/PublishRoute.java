package dev.providers.registry.publish;

/** The two publish routes: customers (and first-party publishers) vs. the console (reserved prefixes only). */
public enum PublishRoute {
    PUBLIC,
    CONSOLE
}
