package dev.providers.registry.fetch;

import dev.providers.registry.config.RegistryConfig;
import java.time.Duration;

/** The limits of one fetch, read once from configuration. */
record FetchLimits(
        long maxBytes,
        Duration connectTimeout,
        Duration idleTimeout,
        Duration deadline,
        int maxRedirects,
        long offloadHashingAbove) {

    static FetchLimits of(RegistryConfig.Fetch config) {
        return new FetchLimits(
                config.maxWheelSize().asLongValue(),
                config.connectTimeout(),
                config.idleTimeout(),
                config.deadline(),
                config.maxRedirects(),
                config.offloadHashingAbove().asLongValue());
    }
}
