package io.orderpipeline.devservices;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import io.orderpipeline.support.EmbeddedServices;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The embedded PostgreSQL asks every login for its password (scram-sha-256), the superuser's too. */
class EmbeddedPostgresAuthenticationTest {

    private final String url = EmbeddedServices.get().jdbcUrl();

    @Test
    void noLoginWithoutTheRightPasswordNotEvenTheSuperusers() {
        String postgres = url.replace("/orders", "/postgres");
        assertThatThrownBy(() -> DriverManager.getConnection(postgres, "postgres", "")).isInstanceOf(SQLException.class)
                .hasMessageContaining("password");
        assertThatThrownBy(() -> DriverManager.getConnection(postgres, "postgres", "postgres"))
                .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
        assertThatThrownBy(() -> DriverManager.getConnection(url, "orders", "not-the-password"))
                .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
    }

    @Test
    void theApplicationLogsInWithItsPasswordStoredAsAScramVerifier() throws Exception {
        try (Connection c = DriverManager.getConnection(url, "orders", "orders");
                var rs = c.createStatement().executeQuery("SHOW password_encryption")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("scram-sha-256");
        }
    }

    @Test
    void theSuperusersPasswordIsKeptForItsOwnerOnly() throws Exception {
        try (var files = Files.walk(Path.of("target", "test-data"))) {
            Path file = files.filter(p -> p.getFileName().toString().endsWith(".superuser-password")).findFirst()
                    .orElseThrow();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
    }
}
