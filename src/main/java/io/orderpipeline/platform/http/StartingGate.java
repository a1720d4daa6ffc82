package io.orderpipeline.platform.http;

import java.util.function.BooleanSupplier;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.AuthenticationHandler;
import org.apache.camel.CamelContext;

/**
 * Answers 503 with {@code Retry-After} while the Camel context is not running (starting, or stopping): the HTTP server
 * listens before the routes have started, and a request in that window must not get Vert.x's 404 for a path whose
 * route is about to exist. Also while the broker has not answered once since the start: a send then waits for the
 * topic's metadata (up to {@code max.block.ms}) on the event loop that runs the route, holding every other request on
 * it. In front of every route of the API server (the start-up puts it there); two volatile reads per request once running.
 */
public final class StartingGate implements AuthenticationHandler {

    private final CamelContext context;
    private final BooleanSupplier brokerAnswered;

    /**
     * @param brokerAnswered whether the broker has answered since the start
     */
    public StartingGate(CamelContext context, BooleanSupplier brokerAnswered) {
        this.context = context;
        this.brokerAnswered = brokerAnswered;
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (context.isStarted() && brokerAnswered.getAsBoolean()) {
            ctx.next();
            return;
        }
        if (context.isStarted()) {
            ErrorBody.retryLater(ctx.response(), 503, 5,
                    "Kafka is unavailable: the broker has not answered since order-pipeline started, try again");
            return;
        }
        ErrorBody.retryLater(ctx.response(), 503, 1,
                "order-pipeline is " + (context.isStopping() ? "stopping" : "starting") + ", try again");
    }
}
