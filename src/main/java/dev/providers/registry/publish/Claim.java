package dev.providers.registry.publish;

import dev.providers.registry.persistence.ProviderVersionEntity;

import java.util.UUID;

/** The outcome of the claim step: either the identical published row (answer 200) or a fresh attempt to verify. */
public sealed interface Claim {

    record AlreadyPublished(ProviderVersionEntity row) implements Claim {
    }

    record Attempt(Long versionId, Long providerId, UUID attemptId) implements Claim {
    }
}
