package dev.providers.registry.publish;

/**
 * The publish routes: customers (and first-party publishers) by URL, the console (reserved prefixes only), and the
 * upload route ({@code POST /providers/publish}), where the registry hosts the wheel it receives.
 */
public enum PublishRoute {
    PUBLIC,
    CONSOLE,
    UPLOAD
}
