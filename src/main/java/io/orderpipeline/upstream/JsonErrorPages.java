package io.orderpipeline.upstream;

import java.util.Objects;
import java.util.Optional;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.orderpipeline.platform.http.ErrorBody;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.HttpEndpointModel;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers what Vert.x decides before a Camel route sees the request (a path no route serves, a method or media type
 * the route does not take, a body over the limit, a failure in a handler in front of the routes, a request the HTTP
 * decoder refused, a request for a stopped route) with the same JSON
 * error body the routes use ({@link ErrorBody}), instead of Vert.x's plain-text and HTML pages. Set on both servers'
 * routers before they listen (by the start-up's HttpServers); these answers are decided before any body byte is read.
 * <p>
 * Gap: no Camel setting reaches the server router's error handlers or the HTTP decoder's refusals; Camel's sub-router
 * ignored its own (vert-x3/vertx-web#2772, fixed in vertx-web 5 and backported to 4.5). No Camel issue as of
 * 2026-12-06. Without it: HttpContractTest and MalformedRequestCorpusTest (plain-text and HTML error pages).
 */
public final class JsonErrorPages {

    private static final Logger LOG = LoggerFactory.getLogger(JsonErrorPages.class);

    private JsonErrorPages() {
    }

    /**
     * @param context    where the {@code platform-http} routes are, to name the methods a path does allow (405)
     * @param management whether the router is the management server's (its endpoints name the allowed methods)
     */
    public static void on(Router router, ToLongFunction<String> maxBodyBytes, CamelContext context,
                          boolean management) {
        router.errorHandler(400, ctx -> ErrorBody.send(ctx.response(), 400, "bad request"));
        router.errorHandler(404, ctx -> {
            if (!stopped(ctx, context)) {
                ErrorBody.send(ctx.response(), 404, "no such resource: " + ctx.normalizedPath());
            }
        });
        router.errorHandler(405, ctx -> {
            if (stopped(ctx, context)) {
                return;
            }
            String allowed = allowedMethods(context, ctx.normalizedPath(), management);
            ctx.response().putHeader("Allow", allowed);
            ErrorBody.send(ctx.response(), 405, "method " + ctx.request().method() + " is not allowed on "
                    + ctx.normalizedPath() + "; use " + allowed);
        });
        router.errorHandler(413, ctx -> ErrorBody.send(ctx.response(), 413, "request body is too large; the limit is "
                + maxBodyBytes.applyAsLong(ctx.normalizedPath()) + " bytes"));
        router.errorHandler(415, ctx -> ErrorBody.send(ctx.response(), 415, "Content-Type "
                + (ctx.parsedHeaders().contentType().rawValue().isEmpty() ? "is missing"
                        : "'" + abbreviate(ctx.parsedHeaders().contentType().rawValue()) + "' is not accepted")
                + " on " + ctx.normalizedPath() + "; send application/json"));
        router.errorHandler(500, JsonErrorPages::internalError);
    }

    /** A request for a stopped route: 503 with Retry-After, as for a suspended one ({@link StoppedRoutes}). */
    private static boolean stopped(RoutingContext ctx, CamelContext context) {
        Optional<String> route = StoppedRoutes.taking(context, ctx.normalizedPath(), ctx.request().method().name());
        route.ifPresent(id -> ErrorBody.retryLater(ctx.response(), 503, 1, "not served: route " + id
                + " is stopped, try again"));
        return route.isPresent();
    }

    /**
     * The HTTP decoder's refusals, which reach no router (a request line or headers too long, a request that is not
     * HTTP), as JSON; the connection then closes, as Vert.x's own answer would.
     */
    public static void invalidRequest(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        if (cause instanceof TooLongHttpLineException) {
            ErrorBody.sendAndClose(request, 414, "the request line is too long");
        } else if (cause instanceof TooLongHttpHeaderException) {
            ErrorBody.sendAndClose(request, 431, "the request's headers are too large");
        } else {
            ErrorBody.sendAndClose(request, 400, "not an HTTP/1.1 request");
        }
    }

    /** The methods of the platform-http routes whose path (with {@code {name}} parameters) matches. */
    static String allowedMethods(CamelContext context, String path, boolean management) {
        PlatformHttpComponent http = context.getComponent("platform-http", PlatformHttpComponent.class);
        return (management ? http.getHttpManagementEndpoints() : http.getHttpEndpoints()).stream()
                .filter(endpoint -> StoppedRoutes.matches(endpoint.getUri(), path))
                .map(HttpEndpointModel::getVerbs).filter(Objects::nonNull)
                .collect(Collectors.joining(", "));
    }

    private static void internalError(RoutingContext ctx) {
        LOG.warn("HTTP request {} {} failed", ctx.request().method(), ctx.normalizedPath(), ctx.failure());
        ErrorBody.send(ctx.response(), 500, "internal error");
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}
