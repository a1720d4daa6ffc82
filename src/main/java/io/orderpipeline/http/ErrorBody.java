package io.orderpipeline.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * The error answer of every HTTP handler in front of the routes: {@code {"error": message, "status": status}} as
 * JSON, the body the routes' error configuration ({@code orders-api-errors}) answers with too.
 */
public final class ErrorBody {

    private ErrorBody() {
    }

    public static String json(int status, String message) {
        return new JsonObject().put("error", message).put("status", status).encode();
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
}
