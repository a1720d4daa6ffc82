package io.orderpipeline.http;

import java.util.concurrent.atomic.AtomicBoolean;

import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers what Vert.x decides before a Camel route sees the request (a body over the limit, a path no route serves)
 * with the same JSON error body the routes use ({@link ErrorBody}), instead of Vert.x's plain-text and HTML pages.
 * Installed when the routes begin to start (the HTTP server has its router by then); before that, and while the
 * context stops, the {@link StartingGate} in front of the routes answers 503.
 */
public final class JsonErrorPages extends SimpleEventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger(JsonErrorPages.class);

    private final int port;
    private final long maxBodyBytes;
    private final AtomicBoolean installed = new AtomicBoolean();

    public JsonErrorPages(int port, long maxBodyBytes) {
        this.port = port;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextRoutesStartingEvent && !installed.get();
    }

    @Override
    public void notify(CamelEvent event) {
        CamelContext context = ((CamelEvent.CamelContextEvent) event).getContext();
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null) {
            LOG.warn("No HTTP server on port {}; Vert.x answers its own errors in plain text", port);
        } else if (installed.compareAndSet(false, true)) {
            // failures raised by Vert.x handlers in front of the routes, e.g. the body limit (413)
            router.route().failureHandler(this::failure);
            // requests that no route matches; routes added later still come first
            router.route().last().handler(ctx -> answer(ctx, 404, "no such resource: " + ctx.normalizedPath()));
        }
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
        ErrorBody.send(ctx.response(), status, message);
    }
}
