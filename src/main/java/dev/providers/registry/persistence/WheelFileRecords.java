package dev.providers.registry.persistence;

import dev.providers.registry.wheel.CoreMetadata;
import dev.providers.registry.wheel.ProjectName;
import dev.providers.registry.wheel.WheelFileName;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What the simple index (PEP 503/691/658) needs of a version, beyond the catalog's columns: the wheel's file name,
 * its PEP 503 project name and its METADATA file. Written when the version is published, in the same transaction
 * (the version never shows without them), or later by the backfill job for versions published before.
 */
@ApplicationScoped
public class WheelFileRecords {

    /** In the current Hibernate Reactive session and transaction (the ledger's finish). */
    public Uni<Integer> recordAtPublish(Long versionId, WheelFileName fileName, CoreMetadata metadata) {
        return Panache.getSession().chain(session -> {
            var update = metadata == null
                    ? session.createNativeQuery("""
                            UPDATE provider_versions SET wheel_filename = ?1, distribution = ?2,
                                   core_metadata = NULL, core_metadata_sha256 = NULL, requires_python = NULL,
                                   core_metadata_state = 'absent'
                            WHERE id = ?3""")
                    : session.createNativeQuery("""
                                    UPDATE provider_versions SET wheel_filename = ?1, distribution = ?2,
                                           core_metadata = ?4, core_metadata_sha256 = ?5, requires_python = ?6,
                                           core_metadata_state = 'captured'
                                    WHERE id = ?3""")
                            .setParameter(4, metadata.bytes())
                            .setParameter(5, metadata.sha256Hex())
                            .setParameter(6, metadata.requiresPython());
            return update.setParameter(1, fileName.toString())
                    .setParameter(2, ProjectName.normalize(fileName.distribution()))
                    .setParameter(3, versionId)
                    .executeUpdate();
        });
    }
}
