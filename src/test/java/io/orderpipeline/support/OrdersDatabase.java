package io.orderpipeline.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Reads the orders table directly over JDBC, independent of the pipeline's own pool. */
public final class OrdersDatabase {

    private final String jdbcUrl;

    public OrdersDatabase(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    public Optional<Map<String, Object>> row(UUID id) {
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT id, src_currency, dst_currency, description, channel, created_at, persisted_at, client_id"
                                + " FROM orders WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
                }
                return Optional.of(row);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** How many rows exist for each of the given ids (0, 1, or more if the sink were not idempotent). */
    public Map<UUID, Integer> countsById(Collection<UUID> ids) {
        Map<UUID, Integer> counts = new LinkedHashMap<>();
        ids.forEach(id -> counts.put(id, 0));
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT id, count(*) FROM orders WHERE id = ANY (?) GROUP BY id")) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put((UUID) rs.getObject(1), rs.getInt(2));
                }
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        return counts;
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, "orders", "orders");
    }
}
