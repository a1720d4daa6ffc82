package io.orderpipeline.devservices;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import io.orderpipeline.support.EmbeddedServices;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sink commits a Kafka offset right after PostgreSQL says the row is committed, so the embedded database must
 * not answer before the commit is on disk (zonky's defaults turn that off for speed).
 */
class EmbeddedPostgresDurabilityTest {

    @ParameterizedTest
    @ValueSource(strings = {"fsync", "synchronous_commit", "full_page_writes"})
    void aCommitIsOnDiskBeforePostgresAnswers(String setting) throws Exception {
        try (Connection c = DriverManager.getConnection(EmbeddedServices.get().jdbcUrl(), "orders", "orders");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW " + setting)) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("on");
        }
    }
}
