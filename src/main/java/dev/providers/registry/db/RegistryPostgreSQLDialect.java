package dev.providers.registry.db;

import org.hibernate.dialect.DatabaseVersion;
import org.hibernate.dialect.PostgreSQLDialect;
import org.hibernate.engine.jdbc.dialect.spi.DialectResolutionInfo;
import org.hibernate.tool.schema.extract.internal.SequenceInformationExtractorNoOpImpl;
import org.hibernate.tool.schema.extract.spi.SequenceInformationExtractor;

/**
 * PostgreSQL, minus one catalog query at every start: Hibernate's schema validation reads the database's sequences
 * ({@code select * from information_schema.sequences}, a view over several catalogs, planned on a fresh backend)
 * before it validates the tables, whether or not a mapping uses a sequence. No entity of this service does (their
 * ids are {@code IDENTITY} columns), so the validation never needs that list; tables and columns are still checked.
 * A scaled-to-zero instance is not ready until the validation is done, so the query was on every cold request's
 * path (bench/README.md "Start: what the first request waits for").
 */
public class RegistryPostgreSQLDialect extends PostgreSQLDialect {

    public RegistryPostgreSQLDialect() {
        super();
    }

    public RegistryPostgreSQLDialect(DialectResolutionInfo info) {
        super(info);
    }

    public RegistryPostgreSQLDialect(DatabaseVersion version) {
        super(version);
    }

    @Override
    public SequenceInformationExtractor getSequenceInformationExtractor() {
        return SequenceInformationExtractorNoOpImpl.INSTANCE;
    }
}
