package io.orderpipeline.order;

/**
 * An order that must not be published (at the HTTP door) or cannot be stored (on the topic). Carries the HTTP status
 * and the reason, and the field at fault when one is (io.orderpipeline.platform.http.ErrorBody makes the JSON answer).
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

}
