package io.orderpipeline.platform.db;

import java.net.ConnectException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

/** What the sink retries while PostgreSQL is away, and what it dead-letters instead. */
class DatabaseFailuresTest {

    @Test
    void noConnectionFromThePoolIsTransient() {
        var poolTimeout = new SQLTransientConnectionException("orders-db - Connection is not available");
        assertThat(DatabaseFailures.isTransient(new CannotGetJdbcConnectionException("no connection", poolTimeout)))
                .isTrue();
    }

    @Test
    void aRefusedConnectionAnywhereInTheCausesIsTransient() {
        var wrapped = new IllegalStateException("insert failed", new RuntimeException(new ConnectException("refused")));
        assertThat(DatabaseFailures.isTransient(wrapped)).isTrue();
    }

    @Test
    void aRowTheTableRefusesIsNot() {
        assertThat(DatabaseFailures.isTransient(new DataIntegrityViolationException("timestamp out of range")))
                .isFalse();
        assertThat(DatabaseFailures.isTransient(new IllegalArgumentException("bad order"))).isFalse();
    }
}
