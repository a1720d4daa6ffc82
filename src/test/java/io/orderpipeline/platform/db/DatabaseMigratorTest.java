package io.orderpipeline.platform.db;

import com.zaxxer.hikari.HikariDataSource;
import io.orderpipeline.support.EmbeddedServices;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseMigratorTest {

    private final HikariDataSource dataSource = new HikariDataSource();

    DatabaseMigratorTest() {
        dataSource.setJdbcUrl(EmbeddedServices.get().jdbcUrl());
        dataSource.setUsername("orders");
        dataSource.setPassword("orders");
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    @Test
    void aMissingMigrationsLocationIsAnErrorNotASilentNoOp() {
        assertThatThrownBy(() -> new DatabaseMigrator(dataSource, "filesystem:no/such/migrations").migrate())
                .isInstanceOf(FlywayException.class)
                .hasMessageContaining("no/such/migrations");
    }

    @Test
    void migratingTwiceLeavesTheSchemaAsItIs() throws Exception {
        new DatabaseMigrator(dataSource, "classpath:migrations").migrate();
        assertThat(new DatabaseMigrator(dataSource, "classpath:migrations").migrate().migrationsExecuted).isZero();
        try (var c = dataSource.getConnection(); var rs = c.getMetaData().getColumns(null, "public", "orders", null)) {
            var columns = new java.util.ArrayList<String>();
            while (rs.next()) {
                columns.add(rs.getString("COLUMN_NAME"));
            }
            assertThat(columns).containsExactly("id", "src_currency", "dst_currency", "description", "channel",
                    "created_at", "persisted_at", "client_id");
        }
    }
}
