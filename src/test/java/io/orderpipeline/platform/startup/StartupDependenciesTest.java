package io.orderpipeline.platform.startup;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures at start-up are waited out (an outage) and which stop the start (a refusal). */
class StartupDependenciesTest {

    private static Exception wrapped(Throwable cause) {
        return new IllegalStateException("start-up step failed", cause);
    }

    @Test
    void refusedCredentialsPermissionsTlsAMissingDatabaseOrARejectedMigrationStopTheStart() {
        assertThat(StartupDependencies.isRefusal(wrapped(new SaslAuthenticationException("bad password")))).isTrue();
        assertThat(StartupDependencies.isRefusal(wrapped(new TopicAuthorizationException("no create")))).isTrue();
        assertThat(StartupDependencies.isRefusal(wrapped(new javax.net.ssl.SSLHandshakeException("untrusted"))))
                .isTrue();
        assertThat(StartupDependencies.isRefusal(new SQLTransientConnectionException("pool timed out",
                new SQLException("password authentication failed", "28P01")))).as("a login refused").isTrue();
        assertThat(StartupDependencies.isRefusal(wrapped(new SQLException("database does not exist", "3D000"))))
                .isTrue();
        assertThat(StartupDependencies.isRefusal(new FlywayException("migration V5 failed",
                new SQLException("syntax error", "42601")))).as("a migration PostgreSQL rejects").isTrue();
    }

    @Test
    void aBrokerOrDatabaseThatDoesNotAnswerIsWaitedFor() {
        assertThat(StartupDependencies.isRefusal(wrapped(new TimeoutException("no answer in 15 s")))).isFalse();
        assertThat(StartupDependencies.isRefusal(new FlywayException("Unable to obtain connection",
                new SQLTransientConnectionException("pool timed out", new SQLException("refused", "08001",
                        new ConnectException("Connection refused")))))).isFalse();
        assertThat(StartupDependencies.isRefusal(new SQLException("Read timed out", "08006",
                new java.net.SocketTimeoutException("Read timed out")))).isFalse();
    }
}
