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
 * with the same JSON error body the routes use, instead of Vert.x's plain-text and HTML pages. Installed as soon as
 * the HTTP server has its router (at the latest when the routes begin to start); until the context has started, and
 * once it stops, a request no route takes gets 503 rather than a misleading 404.
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
        return (event instanceof CamelEvent.CamelContextStartingEvent
                || event instanceof CamelEvent.CamelContextRoutesStartingEvent) && !installed.get();
    }

    @Override
    public void notify(CamelEvent event) {
        CamelContext context = ((CamelEvent.CamelContextEvent) event).getContext();
        if (event instanceof CamelEvent.CamelContextStartingEvent) {
            // the HTTP server creates its router and starts listening in one step, later in the start-up, and
            // no event lies between them: watch for the router so that the pages are there from the first request
            Thread watcher = new Thread(() -> installWhenRouterExists(context), "json-error-pages");
            watcher.setDaemon(true);
            watcher.start();
        } else if (router(context) != null) {
            install(context, router(context)); // the routes are starting: the router exists by now
        } else {
            LOG.warn("No HTTP server on port {} yet; Vert.x answers its own errors in plain text", port);
        }
    }

    private void installWhenRouterExists(CamelContext context) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(2);
        while (!installed.get() && System.nanoTime() < deadline && !context.isStopping() && !context.isStopped()) {
            VertxPlatformHttpRouter router = router(context);
            if (router != null) {
                install(context, router);
                return;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private VertxPlatformHttpRouter router(CamelContext context) {
        return VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(port));
    }

    private void install(CamelContext context, VertxPlatformHttpRouter router) {
        if (!installed.compareAndSet(false, true)) {
            return;
        }
        LOG.debug("JSON error pages installed on port {}", port);
        // failures raised by Vert.x handlers in front of the routes, e.g. the body limit (413)
        router.route().failureHandler(this::failure);
        // requests that no route matches; routes added later still come first
        router.route().last().handler(ctx -> {
            if (context.isStarted()) {
                answer(ctx, 404, "no such resource: " + ctx.normalizedPath());
            } else {
                String phase = context.isStopping() ? "stopping" : "starting";
                ctx.response().putHeader("Retry-After", "1");
                answer(ctx, 503, "order-pipeline is " + phase + ", try again");
            }
        });
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
