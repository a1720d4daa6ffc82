package io.orderpipeline.http;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.AuthenticationHandler;
import org.apache.camel.CamelContext;

/**
 * Answers 503 with {@code Retry-After} while the Camel context is not running (starting, or stopping): the HTTP server
 * listens before the routes have started, and a request in that window must not get Vert.x's 404 for a path whose
 * route is about to exist. In front of every route of the API server ({@link InFrontOfRoutes}); one volatile read per
 * request once running.
 */
public final class StartingGate implements AuthenticationHandler {

    private final CamelContext context;

    public StartingGate(CamelContext context) {
        this.context = context;
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (context.isStarted()) {
            ctx.next();
            return;
        }
        ErrorBody.retryLater(ctx.response(), 503, 1,
                "order-pipeline is " + (context.isStopping() ? "stopping" : "starting") + ", try again");
    }
}
