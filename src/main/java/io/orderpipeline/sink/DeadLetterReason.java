package io.orderpipeline.sink;

import java.sql.SQLException;

import io.orderpipeline.order.InvalidOrderException;
import org.apache.camel.util.ObjectHelper;

/**
 * Why a record was dead-lettered, as a short code for its {@code dlt.reason} header: what kind of failure, never the
 * record's content (Jackson's and PostgreSQL's messages quote it). {@code invalid:<field>} for a record the validator
 * refuses ({@code invalid:json} when it is not a JSON object at all), {@code database:<SQLSTATE>} for a row PostgreSQL
 * refuses, {@code error} for anything else.
 */
public final class DeadLetterReason {

    private DeadLetterReason() {
    }

    public static String code(Exception failure) {
        for (Throwable t : ObjectHelper.createExceptionIterable(failure)) {
            if (t instanceof InvalidOrderException invalid) {
                return "invalid:" + (invalid.getField() != null ? invalid.getField()
                        : invalid.getStatus() == 422 ? "record" : "json");
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().matches("[0-9A-Z]{5}")) {
                return "database:" + sql.getSQLState();
            }
        }
        return "error";
    }
}
