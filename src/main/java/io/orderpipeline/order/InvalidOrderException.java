package io.orderpipeline.order;

import io.orderpipeline.http.ErrorBody;

/**
 * An order that must not be published (at the HTTP door) or cannot be stored (on the topic). Carries the HTTP status
 * and a JSON error body that names the problem.
 */
public class InvalidOrderException extends RuntimeException {

    private final int status;
    private final String field;

    public InvalidOrderException(int status, String message) {
        this(status, message, null);
    }

    public InvalidOrderException(int status, String message, String field) {
        super(message);
        this.status = status;
        this.field = field;
    }

    public int getStatus() {
        return status;
    }

    public String getField() {
        return field;
    }

    /** {@code {"error": "...", "status": 400, "field": "channel"}} ({@link ErrorBody}). */
    public String getJson() {
        return ErrorBody.json(status, getMessage(), field);
    }
}
