package io.orderpipeline.platform.db;

import java.net.ConnectException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

import org.apache.camel.util.ObjectHelper;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;

/**
 * Which database failures pass by themselves (PostgreSQL unreachable, a connection lost) and are worth retrying, as
 * opposed to a statement PostgreSQL refuses, which fails again however often it is retried. The one list the sink's
 * error handling (routes orders-sink and orders-sink-record) decides by.
 */
public final class DatabaseFailures {

    private DatabaseFailures() {
    }

    /** True when the failure, or anything that caused it, says the database was unreachable for a while. */
    public static boolean isTransient(Exception failure) {
        for (Throwable t : ObjectHelper.createExceptionIterable(failure)) {
            if (t instanceof DataAccessResourceFailureException || t instanceof TransientDataAccessException
                    || t instanceof RecoverableDataAccessException || t instanceof SQLTransientException
                    || t instanceof SQLRecoverableException || t instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }
}
