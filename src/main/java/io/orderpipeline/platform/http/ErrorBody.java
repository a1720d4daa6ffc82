package io.orderpipeline.platform.http;

import io.orderpipeline.order.InvalidOrderException;
import io.orderpipeline.order.Problem;
import io.orderpipeline.platform.NonBlocking;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Writes the pipeline's HTTP error answers, RFC 9457 problem details ({@link Problem}: {@code application/problem+json},
 * its status, and {@code Retry-After} where the client should try again later): for the handlers in front of the
 * routes ({@link #send}), Vert.x's own error pages (the {@code upstream} layer's JsonErrorPages) and the routes' error
 * configuration {@code orders-api-errors} ({@link #answer}).
 */
@NonBlocking
public final class ErrorBody {

    private ErrorBody() {
    }

    /** A route's answer to an order or request it refused: the exception's status, reason and field at fault. */
    public static void answer(Exchange exchange, InvalidOrderException refused) {
        answer(exchange.getMessage(), Problem.of(refused));
    }

    /** A route's error answer, with {@code Retry-After} when {@code retryAfterSeconds} is above 0. */
    public static void answer(Exchange exchange, int status, long retryAfterSeconds, String detail) {
        Problem problem = Problem.of(status, detail);
        answer(exchange.getMessage(), retryAfterSeconds > 0 ? problem.retryAfter(retryAfterSeconds) : problem);
    }

    /** The message's headers (the request's) give way to the problem's status, Retry-After and media type. */
    private static void answer(Message message, Problem problem) {
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, problem.status());
        if (problem.retryAfter() != null) {
            message.setHeader("Retry-After", problem.retryAfter());
        }
        message.setHeader(Exchange.CONTENT_TYPE, Problem.MEDIA_TYPE);
        message.setBody(problem.json());
    }

    /** Ends the response with the status and problem, unless it has been ended already. */
    public static void send(HttpServerResponse response, int status, String detail) {
        send(response, Problem.of(status, detail));
    }

    /** As {@link #send}, telling the client when to try again ({@code Retry-After}, in seconds). */
    public static void retryLater(HttpServerResponse response, int status, long seconds, String detail) {
        send(response, Problem.of(status, detail).retryAfter(seconds));
    }

    private static void send(HttpServerResponse response, Problem problem) {
        if (response.ended() || response.closed()) {
            return;
        }
        if (problem.retryAfter() != null) {
            response.putHeader("Retry-After", String.valueOf(problem.retryAfter()));
        }
        response.setStatusCode(problem.status()).putHeader("Content-Type", Problem.MEDIA_TYPE).end(problem.json());
    }

    /**
     * Answers with the problem and closes the connection, so that nothing the client sent after this request runs.
     * The response is written, not ended: ending it would let Vert.x go on to a request it has already read behind
     * this one (a smuggled one). Closing the connection flushes the answer first.
     */
    public static void sendAndClose(HttpServerRequest request, int status, String detail) {
        HttpServerResponse response = request.response();
        if (!response.ended() && !response.closed() && !response.headWritten()) {
            Buffer body = Buffer.buffer(Problem.of(status, detail).json());
            response.setStatusCode(status).putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .putHeader("Content-Length", String.valueOf(body.length())).putHeader("Connection", "close")
                    .write(body);
        }
        request.connection().close();
    }
}
