package io.orderpipeline.security;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.UUID;

import io.orderpipeline.support.Orders;
import io.orderpipeline.support.OrdersClient.Answer;
import io.orderpipeline.support.OrdersDatabase;
import io.orderpipeline.support.PipelineTestSupport;
import io.orderpipeline.support.TestCertificates;
import io.orderpipeline.support.TlsPostgres;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pipeline on a PostgreSQL that serves TLS, with {@code sslmode=verify-full}: the pool's connections are encrypted
 * and the server's certificate is checked against the CA and the host name; another CA is refused.
 */
class DatabaseTlsTest extends PipelineTestSupport {

    private static final String ORDER = Orders.json("over tls to postgres");
    private static final TestCertificates OTHER_CA = TestCertificates.create("other-ca");

    @Override
    protected void overrideProperties(Properties properties) {
        properties.put("orders.db.url", TlsPostgres.get().url());
    }

    @Test
    void ordersAreStoredOverAVerifiedTlsConnection() throws Exception {
        Answer answer = api().post(ORDER);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        UUID id = Orders.id(answer);

        OrdersDatabase database = new OrdersDatabase(TlsPostgres.get().url());
        database.awaitStored(id);
        try (Connection c = DriverManager.getConnection(TlsPostgres.get().url(), "orders", "orders");
                var rs = c.createStatement().executeQuery("SELECT count(*) FROM pg_stat_ssl WHERE ssl")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the pool's connections and this one use TLS").isGreaterThan(1);
        }
    }

    @Test
    void aServerCertificateFromAnotherCaIsRefused() {
        assertThatThrownBy(() -> DriverManager.getConnection(TlsPostgres.get().url(OTHER_CA.caPem()), "orders", "orders"))
                .isInstanceOf(SQLException.class).hasMessageContaining("SSL");
    }
}
