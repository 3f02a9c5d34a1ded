package dev.providers.registry.reliability;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** What the reliability tests read from their own PostgreSQL server, over JDBC, beside the service. */
final class PostgresRows {

    private PostgresRows() {}

    /** First column of every row of {@code sql} with {@code args}, as text. */
    static List<String> firstColumn(EmbeddedPostgres server, String sql, Object... args) {
        try (Connection c = server.getPostgresDatabase().getConnection();
                PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                st.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
