package io.orderpipeline.order;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An error answer as RFC 9457 problem details ({@code application/problem+json}): {@code type}, {@code title},
 * {@code status}, {@code detail}, and this API's extensions {@code field} (the request field or header at fault),
 * {@code index} (a batch item's position) and {@code retry_after} (seconds, beside the {@code Retry-After} header).
 * Every error of both HTTP servers and every refused batch item has this shape; the kinds are {@link Kind}'s, each
 * described in docs/problems.md.
 */
public record Problem(Kind kind, int status, String detail, String field, Integer index, Long retryAfter) {

    /** The media type of a problem answer. */
    public static final String MEDIA_TYPE = "application/problem+json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The kinds of problem, one per status this API answers with: a client tells them apart by {@code type}, which
     * stays the same across versions while {@code title} and {@code detail} may be reworded.
     */
    public enum Kind {
        BAD_REQUEST(400, "bad-request", "The request is not valid"),
        UNAUTHORIZED(401, "unauthorized", "Authentication is required"),
        FORBIDDEN(403, "forbidden", "The request is not allowed"),
        NOT_FOUND(404, "not-found", "Not found"),
        METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
        REQUEST_TIMEOUT(408, "request-timeout", "The request took too long to arrive"),
        IN_FLIGHT(409, "in-flight", "An earlier request with this Idempotency-Key is still in flight"),
        TOO_LARGE(413, "too-large", "The request is too large"),
        URI_TOO_LONG(414, "uri-too-long", "The request line is too long"),
        UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
        UNPROCESSABLE(422, "unprocessable", "The request cannot be processed"),
        RATE_LIMITED(429, "rate-limited", "Too many requests"),
        HEADERS_TOO_LARGE(431, "headers-too-large", "The request headers are too large"),
        INTERNAL_ERROR(500, "internal-error", "Internal error"),
        UNAVAILABLE(503, "unavailable", "Unavailable for now");

        /** Where the type URIs start; the rest is the kind's name. */
        public static final String TYPE_PREFIX = "urn:order-pipeline:problem:";

        private final int status;
        private final String name;
        private final String title;

        Kind(int status, String name, String title) {
            this.status = status;
            this.name = name;
            this.title = title;
        }

        public int status() {
            return status;
        }

        /** The stable identifier, e.g. {@code urn:order-pipeline:problem:bad-request}. */
        public String type() {
            return TYPE_PREFIX + name;
        }

        public String title() {
            return title;
        }

        /** The kind of a status; a status this API does not use is an internal error's kind. */
        public static Kind of(int status) {
            for (Kind kind : values()) {
                if (kind.status == status) {
                    return kind;
                }
            }
            return INTERNAL_ERROR;
        }
    }

    public static Problem of(int status, String detail) {
        return of(status, detail, null);
    }

    public static Problem of(int status, String detail, String field) {
        return new Problem(Kind.of(status), status, detail, field, null, null);
    }

    /** A refused order or request: its status, its reason and the field at fault (and when to retry, if in flight). */
    public static Problem of(InvalidOrderException refused) {
        Long retryAfter = refused instanceof OrderInFlightException inFlight ? inFlight.getRetryAfter() : null;
        return new Problem(Kind.of(refused.getStatus()), refused.getStatus(), refused.getMessage(), refused.getField(),
                null, retryAfter);
    }

    /** The same problem, of the batch item at this position. */
    public Problem at(int itemIndex) {
        return new Problem(kind, status, detail, field, itemIndex, retryAfter);
    }

    /** The same problem, telling the client to try again after this many seconds. */
    public Problem retryAfter(long seconds) {
        return new Problem(kind, status, detail, field, index, seconds);
    }

    /** Its members, in the order RFC 9457 lists them, the extensions after. */
    public ObjectNode toJson() {
        ObjectNode json = JSON.createObjectNode();
        json.put("type", kind.type()).put("title", kind.title()).put("status", status).put("detail", detail);
        if (field != null) {
            json.put("field", field);
        }
        if (index != null) {
            json.put("index", index);
        }
        if (retryAfter != null) {
            json.put("retry_after", retryAfter);
        }
        return json;
    }

    /** The answer's body. */
    public String json() {
        try {
            return JSON.writeValueAsString(toJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
