package io.orderpipeline.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
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

    /**
     * Which of the given ids have a row in orders. A row per id at most: the id is the table's primary key, so a
     * second order shows only under its Idempotency-Key ({@link #countsByDescription}), never here.
     */
    public java.util.Set<UUID> stored(Collection<UUID> ids) {
        java.util.Set<UUID> stored = new java.util.HashSet<>();
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement("SELECT id FROM orders WHERE id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stored.add((UUID) rs.getObject(1));
                }
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        return stored;
    }

    /** Whether every one of these orders has its row. */
    public boolean allStored(Collection<UUID> ids) {
        return stored(ids).containsAll(ids);
    }

    /**
     * Waits (up to a minute) until every one of the ids is a row, through a database that may not answer or have the
     * table yet; fails naming those missing.
     */
    public void awaitStored(Collection<UUID> ids) {
        try {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> allStored(ids));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            java.util.Set<UUID> missing = new java.util.HashSet<>(ids);
            missing.removeAll(stored(ids));
            throw new AssertionError(missing.size() + " of " + ids.size() + " orders not stored within a minute: "
                    + missing.stream().limit(5).toList(), e);
        }
    }

    public void awaitStored(UUID... ids) {
        awaitStored(java.util.List.of(ids));
    }

    public boolean isStored(UUID id) {
        return allStored(List.of(id));
    }

    /** How many rows have each of the given descriptions (the fault tests' orders carry their Idempotency-Key there). */
    public Map<String, Integer> countsByDescription(Collection<String> descriptions) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        descriptions.forEach(d -> counts.put(d, 0));
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT description, count(*) FROM orders WHERE description = ANY (?) GROUP BY description")) {
            ps.setArray(1, c.createArrayOf("text", descriptions.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getInt(2));
                }
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        return counts;
    }

    /** The reasons of the dead_letters rows for an order id (or record key), one per dead-lettered record. */
    public java.util.List<String> deadLetterReasons(String orderId) {
        java.util.List<String> reasons = new java.util.ArrayList<>();
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement("SELECT reason FROM dead_letters WHERE order_id = ?")) {
            ps.setString(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reasons.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        return reasons;
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, "orders", "orders");
    }
}
