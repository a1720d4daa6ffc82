package io.orderpipeline.sink;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

import io.orderpipeline.order.OrderRows;
import io.orderpipeline.platform.db.DatabaseFailures;
import org.apache.camel.Body;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Stores rows the way PostgreSQL loads data fastest, in one transaction: {@code COPY} straight into the target
 * table; when a row's key is already there (a batch delivered again after a crash or a rebalance, an order published
 * twice), that transaction is rolled back and the rows are copied into a staging table of the connection's session
 * instead, from which one {@code INSERT ... SELECT ... ON CONFLICT DO NOTHING} moves the new ones. camel-sql and
 * camel-jdbc bind parameters to statements and have no {@code COPY}; the statement that did the same with seven
 * array parameters ({@code unnest}) cost PostgreSQL three to four times its own time per row (bench/README.md, "Sink
 * drain").
 *
 * <p>Failures come out as Spring's {@code DataAccessException}s, translated as camel-sql translates them, so
 * {@link DatabaseFailures} tells an unreachable database from a refused row alike for both.
 */
public class CopyInsert {

    /** PostgreSQL's unique_violation: a key already stored. */
    private static final String UNIQUE_VIOLATION = "23505";

    private final JdbcTemplate jdbc;
    private final String copy;
    private final String stage;
    private final String copyStaged;
    private final String insertStaged;

    /**
     * @param copy         {@code COPY target (...) FROM STDIN (FORMAT csv)}
     * @param stage        creates the staging table when this session has none (its rows deleted at each commit)
     * @param copyStaged   {@code COPY staging (...) FROM STDIN (FORMAT csv)}
     * @param insertStaged moves the staged rows whose key is new into the target table
     */
    public CopyInsert(DataSource dataSource, String copy, String stage, String copyStaged, String insertStaged) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.copy = copy;
        this.stage = stage;
        this.copyStaged = copyStaged;
        this.insertStaged = insertStaged;
    }

    /** Stores the rows; returns how many were new (a row whose key is already stored is skipped). */
    public int insert(@Body OrderRows rows) {
        byte[] csv = rows.toBytes();
        return jdbc.execute((ConnectionCallback<Integer>) connection -> insert(connection, csv));
    }

    private int insert(Connection connection, byte[] csv) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            try {
                long copied = copy(connection, copy, csv);
                connection.commit();
                return (int) copied;
            } catch (SQLException e) {
                connection.rollback();
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute(stage);
                copy(connection, copyStaged, csv);
                int inserted = statement.executeUpdate(insertStaged);
                connection.commit();
                return inserted;
            }
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(connection, e);
            throw e;
        } finally {
            restoreAutoCommit(connection, autoCommit);
        }
    }

    private static long copy(Connection connection, String sql, byte[] csv) throws SQLException {
        CopyIn in = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        try {
            in.writeToCopy(csv, 0, csv.length);
            return in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    private static void rollbackQuietly(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private static void restoreAutoCommit(Connection connection, boolean autoCommit) {
        try {
            connection.setAutoCommit(autoCommit);
        } catch (SQLException e) {
            // the connection is broken: the pool discards it, and the failure that broke it is already on its way
        }
    }
}
