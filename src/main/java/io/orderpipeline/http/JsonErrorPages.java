package io.orderpipeline.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers what Vert.x decides before a Camel route sees the request (a body over the limit, a path no route serves)
 * with the same JSON error body the routes use, instead of Vert.x's plain-text and HTML pages.
 */
public final class JsonErrorPages implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(JsonErrorPages.class);

    private final int port;
    private final long maxBodyBytes;

    public JsonErrorPages(int port, long maxBodyBytes) {
        this.port = port;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null) {
            LOG.debug("No HTTP server on port {} in this process; no error pages to install", port);
            return;
        }
        // failures raised by Vert.x handlers in front of the routes, e.g. the body limit (413)
        router.route().failureHandler(this::failure);
        // requests that no route matches; routes added later still come first
        router.route().last().handler(ctx -> answer(ctx, 404, "no such resource: " + ctx.normalizedPath()));
    }

    private void failure(RoutingContext ctx) {
        int status = ctx.statusCode();
        if (status == 413) {
            answer(ctx, 413, "request body is too large; the limit is " + maxBodyBytes + " bytes");
        } else if (status >= 400 && status < 500) {
            answer(ctx, status, "request rejected");
        } else {
            LOG.warn("HTTP request {} {} failed", ctx.request().method(), ctx.normalizedPath(), ctx.failure());
            answer(ctx, 500, "internal error");
        }
    }

    private static void answer(RoutingContext ctx, int status, String message) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", message).put("status", status).encode());
    }
}
