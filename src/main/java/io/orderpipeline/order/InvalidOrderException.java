package io.orderpipeline.order;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An order that must not be published (at the HTTP door) or cannot be stored (on the topic). Carries the HTTP status
 * and a JSON error body that names the problem.
 */
public class InvalidOrderException extends RuntimeException {

    private static final ObjectMapper JSON = new ObjectMapper();

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

    /** {@code {"error": "...", "status": 400, "field": "channel"}}, built by Jackson so the message is escaped. */
    public String getJson() {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", getMessage());
        body.put("status", status);
        if (field != null) {
            body.put("field", field);
        }
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
