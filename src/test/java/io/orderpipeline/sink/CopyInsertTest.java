package io.orderpipeline.sink;

import java.io.IOException;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import io.orderpipeline.order.Order;
import io.orderpipeline.order.OrderRows;
import io.orderpipeline.platform.db.DatabaseFailures;
import io.orderpipeline.platform.db.DatabaseMigrator;
import io.orderpipeline.support.EmbeddedServices;
import io.orderpipeline.support.ShippedProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sink's COPY path with the shipped statements against the embedded PostgreSQL. */
class CopyInsertTest {

    private final HikariDataSource dataSource = new HikariDataSource();
    private final CopyInsert copyInsert;

    CopyInsertTest() throws IOException {
        dataSource.setJdbcUrl(EmbeddedServices.get().jdbcUrl());
        dataSource.setUsername("orders");
        dataSource.setPassword("orders");
        try (HikariDataSource migrations = new HikariDataSource(dataSource)) {
            new DatabaseMigrator(migrations, "classpath:migrations").migrate();
        }
        // one connection: every call meets the staging table the previous one left
        dataSource.setMaximumPoolSize(1);
        copyInsert = shipped(dataSource);
    }

    static CopyInsert shipped(HikariDataSource dataSource) throws IOException {
        Properties shipped = ShippedProperties.load();
        return new CopyInsert(dataSource, shipped.getProperty("orders.sql.copy-orders"),
                shipped.getProperty("orders.sql.stage-orders"), shipped.getProperty("orders.sql.copy-staged-orders"),
                shipped.getProperty("orders.sql.insert-staged-orders"));
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    @Test
    void everyTextArrivesAsSentWhateverItContains() throws Exception {
        List<Order> orders = List.of(
                order("plain", "client-1"),
                order("", null),
                order("quote \" and \"\" twice, comma, semicolon;", "client,with \"quote\""),
                order("lines\nLF\r\nCRLF\rCR and a tab\t and a backslash \\ \\N \\.", ""),
                order("\\.", null),
                order("unicode: zürich 東京 🚀", "ü"));
        OrderRows rows = new OrderRows(orders.size());
        orders.forEach(rows::add);

        assertThat(copyInsert.insert(rows)).isEqualTo(orders.size());

        for (Order sent : orders) {
            assertThat(stored(sent.id())).isEqualTo(sent);
        }
    }

    @Test
    void anIdAlreadyStoredOrRepeatedInTheBatchMakesOneRow() throws Exception {
        Order first = order("first", null);
        Order second = order("second", null);
        assertThat(copyInsert.insert(OrderRows.of(first))).isEqualTo(1);

        OrderRows again = new OrderRows(3).add(first).add(second).add(second);
        assertThat(copyInsert.insert(again)).isEqualTo(1);

        assertThat(count(first.id())).isEqualTo(1);
        assertThat(count(second.id())).isEqualTo(1);
    }

    @Test
    void aRowTheTableRefusesFailsTheWholeBatchAsPermanentAndLeavesNothingStaged() throws Exception {
        Order good = order("good", null);
        Order refused = new Order(UUID.randomUUID(), -1, 2, "negative currency", 3, "2026-01-02T03:04:05Z", null);

        assertThatThrownBy(() -> copyInsert.insert(new OrderRows(2).add(good).add(refused)))
                .satisfies(failure -> assertThat(DatabaseFailures.isTransient((Exception) failure)).isFalse())
                .hasMessageContaining("src_currency");
        assertThat(count(good.id())).isZero();

        // the same session's staging table is empty again: only the new row is stored
        Order next = order("next", null);
        assertThat(copyInsert.insert(OrderRows.of(next))).isEqualTo(1);
        assertThat(count(good.id())).isZero();
    }

    @Test
    void anUnreachableDatabaseIsTransient() throws Exception {
        try (HikariDataSource gone = new HikariDataSource()) {
            gone.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + EmbeddedServices.freePort() + "/orders");
            gone.setUsername("orders");
            gone.setPassword("orders");
            gone.setConnectionTimeout(250);
            gone.setInitializationFailTimeout(-1);
            CopyInsert nowhere = shipped(gone);

            assertThatThrownBy(() -> nowhere.insert(OrderRows.of(order("lost", null))))
                    .satisfies(failure -> assertThat(DatabaseFailures.isTransient((Exception) failure)).isTrue());
        }
    }

    private static Order order(String description, String clientId) {
        return new Order(UUID.randomUUID(), 1, 2, description, 3, "2026-01-02T03:04:05.000006Z", clientId);
    }

    private Order stored(UUID id) throws Exception {
        try (var c = dataSource.getConnection(); var s = c.prepareStatement("SELECT src_currency, dst_currency,"
                + " description, channel, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"
                + " client_id FROM orders WHERE id = ?")) {
            s.setObject(1, id);
            try (ResultSet rs = s.executeQuery()) {
                List<Order> found = new ArrayList<>();
                while (rs.next()) {
                    found.add(new Order(id, rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getInt(4),
                            rs.getString(5), rs.getString(6)));
                }
                assertThat(found).hasSize(1);
                return found.get(0);
            }
        }
    }

    private int count(UUID id) throws Exception {
        try (var c = dataSource.getConnection(); var s = c.prepareStatement("SELECT count(*) FROM orders WHERE id = ?")) {
            s.setObject(1, id);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
