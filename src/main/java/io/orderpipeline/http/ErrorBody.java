package io.orderpipeline.http;

import io.orderpipeline.platform.NonBlocking;
import io.orderpipeline.order.InvalidOrderException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * The one builder of the pipeline's HTTP error answers, {@code {"error": message, "status": status}} (and
 * {@code "field"} when one field is at fault) as JSON: for the handlers in front of the routes, Vert.x's own error
 * pages ({@link JsonErrorPages}) and the routes' error configuration ({@code orders-api-errors}).
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
