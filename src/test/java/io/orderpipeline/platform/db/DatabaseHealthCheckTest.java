package io.orderpipeline.platform.db;

import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import io.orderpipeline.support.EmbeddedServices;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Readiness and PostgreSQL: a process that stores or reads orders (an {@code sql:} endpoint) is not ready without it;
 * one that only publishes ({@code produce}) is ready whatever the database does.
 */
class DatabaseHealthCheckTest {

    @Test
    void anUnreachableDatabaseIsDownOnlyForAProcessThatUsesIt() throws Exception {
        try (HikariDataSource nowhere = new HikariDataSource(); CamelContext context = new DefaultCamelContext()) {
            nowhere.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + EmbeddedServices.freePort() + "/orders");
            nowhere.setInitializationFailTimeout(-1);
            nowhere.setConnectionTimeout(1_000);
            context.getRegistry().bind("nowhere", nowhere);
            context.start();
            DatabaseHealthCheck check = new DatabaseHealthCheck(nowhere);
            check.setCamelContext(context);

            HealthCheck.Result publishing = check.call(Map.of());
            assertThat(publishing.getState()).isEqualTo(HealthCheck.State.UP);
            assertThat(publishing.getDetails()).containsEntry("database", "not used by this process");

            context.getEndpoint("sql:select 1?dataSource=#nowhere");
            HealthCheck.Result storing = check.call(Map.of());
            assertThat(storing.getState()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(storing.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("unreachable"));
        }
    }
}
