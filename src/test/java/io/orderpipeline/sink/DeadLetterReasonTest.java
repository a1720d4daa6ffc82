package io.orderpipeline.sink;

import java.sql.BatchUpdateException;
import java.sql.SQLException;

import io.orderpipeline.order.InvalidOrderException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The dead-letter reason codes: the kind of failure, found anywhere in the causes, never the record's content. */
class DeadLetterReasonTest {

    @Test
    void aRefusedFieldIsNamedAndARecordThatIsNoOrderOrNoJsonSaysWhich() {
        assertThat(DeadLetterReason.code(new InvalidOrderException(400, "channel is required", "channel")))
                .isEqualTo("invalid:channel");
        assertThat(DeadLetterReason.code(new InvalidOrderException(422, "not an order"))).isEqualTo("invalid:record");
        assertThat(DeadLetterReason.code(new InvalidOrderException(400, "not JSON"))).isEqualTo("invalid:json");
    }

    @Test
    void aRowPostgresRefusesIsItsSqlStateFoundUnderTheWrappers() {
        SQLException refused = new SQLException("value \"secret text\" out of range", "22008");
        Exception wrapped = new IllegalStateException("insert failed", new BatchUpdateException("batch", null, 0,
                new int[0], refused));
        assertThat(DeadLetterReason.code(wrapped)).isEqualTo("database:22008").doesNotContain("secret");
    }

    @Test
    void aStateThatIsNoSqlStateOrNoneAtAllIsAnError() {
        assertThat(DeadLetterReason.code(new SQLException("no state"))).isEqualTo("error");
        assertThat(DeadLetterReason.code(new SQLException("lower case", "22p02"))).isEqualTo("error");
        assertThat(DeadLetterReason.code(new SQLException("too long", "220080"))).isEqualTo("error");
        assertThat(DeadLetterReason.code(new IllegalStateException("anything else"))).isEqualTo("error");
    }

    @Test
    void theDeepestRecognisedCauseDecides() {
        // Camel's exception iterable walks from the root cause outwards: what went wrong first names the reason
        Exception invalidAroundSql = new InvalidOrderException(400, "bad", "description");
        invalidAroundSql.initCause(new SQLException("x", "23505"));
        assertThat(DeadLetterReason.code(invalidAroundSql)).isEqualTo("database:23505");
        assertThat(DeadLetterReason.code(new RuntimeException(new InvalidOrderException(400, "bad", "channel"))))
                .isEqualTo("invalid:channel");
    }
}
