package dev.providers.registry.publish;

import dev.providers.registry.persistence.ProviderVersionEntity;
import dev.providers.registry.persistence.VersionStatus;
import java.time.Instant;
import java.util.UUID;

/** The outcome of the claim step: either the identical published row (answer 200) or a fresh attempt to verify. */
public sealed interface Claim {

    record AlreadyPublished(ProviderVersionEntity row) implements Claim {}

    /**
     * @param statusBefore    the row's status before this attempt took it (null for a new version)
     * @param requiredSha256  the digest a deleted provider's version reserved for this number (null: none)
     * @param leaseUntil      when the attempt's lease lapses (a staged upload blob gets the same one)
     */
    record Attempt(
            Long versionId,
            Long providerId,
            UUID attemptId,
            VersionStatus statusBefore,
            String requiredSha256,
            Instant leaseUntil)
            implements Claim {}
}
