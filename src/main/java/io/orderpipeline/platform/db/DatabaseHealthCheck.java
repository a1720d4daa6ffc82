package io.orderpipeline.platform.db;

import java.sql.Connection;
import java.util.Map;
import javax.sql.DataSource;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: PostgreSQL answers through the pipeline's pool. A process whose routes have no {@code sql:} endpoint
 * ({@code produce}) is not held back by it.
 */
public class DatabaseHealthCheck extends AbstractHealthCheck {

    private static final int TIMEOUT_SECONDS = 2;

    private final DataSource dataSource;

    public DatabaseHealthCheck(DataSource dataSource) {
        super("orders", "orders-database");
        this.dataSource = dataSource;
    }

    @Override
    public boolean isLiveness() {
        return false; // an outage is waited out, not a reason to restart the process
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (getCamelContext().getEndpoints().stream().noneMatch(e -> e.getEndpointUri().startsWith("sql:"))) {
            builder.detail("database", "not used by this process").up();
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            if (connection.isValid(TIMEOUT_SECONDS)) {
                builder.up();
            } else {
                builder.message("PostgreSQL did not answer within " + TIMEOUT_SECONDS + " s").down();
            }
        } catch (Exception e) {
            builder.message("PostgreSQL is unreachable: " + e.getMessage()).error(e).down();
        }
    }
}
