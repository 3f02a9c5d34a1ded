package dev.providers.registry.persistence;

import dev.providers.registry.wheel.CoreMetadata;
import dev.providers.registry.wheel.ProjectName;
import dev.providers.registry.wheel.WheelFileName;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What the simple index (PEP 503/691/658) needs of a published version, in {@code version_files}: the wheel's file
 * name, its PEP 503 project name and its METADATA file. Written when the version is published, in the same
 * transaction (the version never shows without them), or by the backfill job for versions published before.
 */
@ApplicationScoped
public class WheelFileRecords {

    static final String UPSERT = """
            INSERT INTO version_files (version_id, prefix, distribution, wheel_filename, core_metadata_state,
                                       core_metadata, core_metadata_sha256, requires_python, retry_at)
            SELECT id, prefix, CAST(?2 AS text), CAST(?3 AS text), CAST(?4 AS text), %s, %s, %s, NULL FROM provider_versions WHERE id = ?1
            ON CONFLICT (version_id) DO UPDATE SET prefix = EXCLUDED.prefix, distribution = EXCLUDED.distribution,
                wheel_filename = EXCLUDED.wheel_filename, core_metadata_state = EXCLUDED.core_metadata_state,
                core_metadata = EXCLUDED.core_metadata, core_metadata_sha256 = EXCLUDED.core_metadata_sha256,
                requires_python = EXCLUDED.requires_python, retry_at = NULL""";

    /** In the current Hibernate Reactive session and transaction (the ledger's finish). */
    public Uni<Integer> recordAtPublish(Long versionId, WheelFileName fileName, CoreMetadata metadata) {
        return Panache.getSession().chain(session -> {
            var upsert = metadata == null
                    ? session.createNativeQuery(UPSERT.formatted("NULL", "NULL", "NULL"))
                            .setParameter(4, "absent")
                    : session.createNativeQuery(
                                    UPSERT.formatted("CAST(?5 AS bytea)", "CAST(?6 AS text)", "CAST(?7 AS text)"))
                            .setParameter(4, "captured")
                            .setParameter(5, metadata.bytes())
                            .setParameter(6, metadata.sha256Hex())
                            .setParameter(7, metadata.requiresPython());
            return upsert.setParameter(1, versionId)
                    .setParameter(2, ProjectName.normalize(fileName.distribution()))
                    .setParameter(3, fileName.toString())
                    .executeUpdate();
        });
    }
}
