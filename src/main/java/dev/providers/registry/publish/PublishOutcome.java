package dev.providers.registry.publish;

import dev.providers.registry.catalog.ProviderVersion;

/** {@code created}: 201 with a Location; otherwise the identical version was already there (200). */
public record PublishOutcome(boolean created, ProviderVersion version) {}
