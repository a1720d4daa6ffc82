package io.orderpipeline.platform.http;

import io.orderpipeline.order.InvalidOrderException;
import io.orderpipeline.order.OrderInFlightException;
import io.orderpipeline.platform.NonBlocking;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The one builder of the pipeline's HTTP error answers, {@code {"error": message, "status": status}} (and
 * {@code "field"} when one field is at fault) as JSON, with its status and, where the client should try again later,
 * {@code Retry-After}: for the handlers in front of the routes ({@link #send}), Vert.x's own error pages (the
 * {@code upstream} layer's JsonErrorPages) and the routes' error configuration {@code orders-api-errors}
 * ({@link #answer}).
 */
@NonBlocking
public final class ErrorBody {

    private ErrorBody() {
    }

    public static String json(int status, String message) {
        return json(status, message, null);
    }

    public static String json(int status, String message, String field) {
        JsonObject body = new JsonObject().put("error", message).put("status", status);
        if (field != null) {
            body.put("field", field);
        }
        return body.encode();
    }

    /** The body of a refused order or request: its status, its reason and the field at fault. */
    public static String of(InvalidOrderException refused) {
        return json(refused.getStatus(), refused.getMessage(), refused.getField());
    }

    /** A route's answer to an order or request it refused: the exception's status, reason and field at fault. */
    public static void answer(Exchange exchange, InvalidOrderException refused) {
        long retryAfter = refused instanceof OrderInFlightException inFlight ? inFlight.getRetryAfter() : 0;
        answer(exchange.getMessage(), refused.getStatus(), retryAfter, json(refused.getStatus(), refused.getMessage(),
                refused.getField()));
    }

    /**
     * A route's error answer: the message's headers (the request's) give way to the status, {@code Retry-After} when
     * {@code retryAfterSeconds} is above 0, and the JSON content type; the body is the error.
     */
    public static void answer(Exchange exchange, int status, long retryAfterSeconds, String message) {
        answer(exchange.getMessage(), status, retryAfterSeconds, json(status, message));
    }

    private static void answer(Message message, int status, long retryAfterSeconds, String body) {
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        if (retryAfterSeconds > 0) {
            message.setHeader("Retry-After", retryAfterSeconds);
        }
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody(body);
    }

    /** Ends the response with the status and error body, unless it has been ended already. */
    public static void send(HttpServerResponse response, int status, String message) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status).putHeader("Content-Type", "application/json").end(json(status, message));
    }

    /** As {@link #send}, telling the client when to try again ({@code Retry-After}, in seconds). */
    public static void retryLater(HttpServerResponse response, int status, long seconds, String message) {
        if (!response.ended() && !response.closed()) {
            response.putHeader("Retry-After", String.valueOf(seconds));
        }
        send(response, status, message);
    }

    /**
     * Answers with the error body and closes the connection, so that nothing the client sent after this request runs.
     * The response is written, not ended: ending it would let Vert.x go on to a request it has already read behind
     * this one (a smuggled one). Closing the connection flushes the answer first.
     */
    public static void sendAndClose(HttpServerRequest request, int status, String message) {
        HttpServerResponse response = request.response();
        if (!response.ended() && !response.closed() && !response.headWritten()) {
            Buffer body = Buffer.buffer(json(status, message));
            response.setStatusCode(status).putHeader("Content-Type", "application/json")
                    .putHeader("Content-Length", String.valueOf(body.length())).putHeader("Connection", "close")
                    .write(body);
        }
        request.connection().close();
    }
}
