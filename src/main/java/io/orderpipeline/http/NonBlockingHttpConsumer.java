package io.orderpipeline.http;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConsumer;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A platform-http consumer that runs its route through Camel's asynchronous routing engine. The stock consumer calls
 * the route synchronously on a Vert.x worker, so each POST /orders held a worker until Kafka acknowledged the record,
 * and the worker pool (20 by default) capped the orders in flight. Here the worker starts the route and is free as soon
 * as the Kafka producer has the record; the answer is written when the route completes, on the request's event loop.
 * A route that blocks (a JDBC lookup) still blocks only a worker, never the event loop.
 * <p>
 * A route named in the engine's event-loop routes starts right on the request's event loop instead: no hand-over to a
 * worker and back, which was half of the CPU an order cost on the HTTP side (README, design notes). Such a route must
 * never block; its Kafka producer must already know the topic's partitions
 * ({@link io.orderpipeline.kafka.PreparedProducerFactory}), or its first send would wait for them on the event loop.
 */
public class NonBlockingHttpConsumer extends VertxPlatformHttpConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(NonBlockingHttpConsumer.class);

    private final Set<String> eventLoopRoutes;
    private boolean onEventLoop;

    public NonBlockingHttpConsumer(PlatformHttpEndpoint endpoint, Processor processor,
                                   List<Handler<RoutingContext>> handlers, String routerName,
                                   Set<String> eventLoopRoutes) {
        super(endpoint, processor, handlers, routerName);
        this.eventLoopRoutes = eventLoopRoutes;
    }

    @Override
    protected void doStart() throws Exception {
        onEventLoop = eventLoopRoutes.contains(routeId());
        super.doStart();
    }

    /** The id of the route this consumer feeds (platform-http wraps this consumer, and only the wrapper is told). */
    private String routeId() {
        if (getRouteId() != null) {
            return getRouteId();
        }
        return getEndpoint().getCamelContext().getRoutes().stream()
                .filter(route -> route.getEndpoint() == getEndpoint())
                .map(Route::getRouteId).findFirst().orElse("");
    }

    /** Whether this consumer's route runs on the Vert.x event loop rather than on a worker. */
    public boolean isOnEventLoop() {
        return onEventLoop;
    }

    @Override
    protected void handleRequest(RoutingContext ctx) {
        if (isSuspended() || !isRunAllowed()) {
            ErrorBody.retryLater(ctx.response(), 503, 1,
                    "not accepting requests now (route suspended or stopping), try again");
            return;
        }
        Context eventLoop = ctx.vertx().getOrCreateContext();
        Exchange exchange = createExchange(false);
        exchange.setPattern(ExchangePattern.InOut);
        processHttpRequest(exchange, ctx).onComplete(read -> {
            if (read.failed()) {
                fail(ctx, exchange, read.cause());
                return;
            }
            if (onEventLoop) {
                try {
                    route(ctx, exchange, eventLoop);
                } catch (Exception e) {
                    fail(ctx, exchange, e);
                }
                return;
            }
            ctx.vertx().executeBlocking(() -> {
                route(ctx, exchange, eventLoop);
                return null;
            }, false).onFailure(e -> fail(ctx, exchange, e));
        });
    }

    /** Starts the route; the answer is written on the request's event loop once the route completes, on whatever thread. */
    private void route(RoutingContext ctx, Exchange exchange, Context eventLoop) throws Exception {
        createUoW(exchange);
        getAsyncProcessor().process(exchange, doneSync -> {
            if (Vertx.currentContext() == eventLoop) {
                respond(ctx, exchange);
            } else {
                eventLoop.runOnContext(v -> respond(ctx, exchange));
            }
        });
    }

    private void respond(RoutingContext ctx, Exchange exchange) {
        HttpServerResponse response = ctx.response();
        try {
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("Failed " + ctx.request().method() + " " + ctx.request().path(),
                        exchange, exchange.getException());
                ErrorBody.send(response, 500, "internal error");
                return;
            }
            Message message = exchange.getMessage();
            HeaderFilterStrategy filter = getEndpoint().getHeaderFilterStrategy();
            for (Map.Entry<String, Object> header : message.getHeaders().entrySet()) {
                Object value = header.getValue();
                if (value == null || (filter != null
                        && filter.applyFilterToCamelHeaders(header.getKey(), value, exchange))) {
                    continue;
                }
                if (value instanceof Iterable<?> values) {
                    values.forEach(v -> response.headers().add(header.getKey(), String.valueOf(v)));
                } else {
                    response.putHeader(header.getKey(), String.valueOf(value));
                }
            }
            // the HTTP header filter keeps Content-Type out of the loop above; the route sets it as a header
            String contentType = message.getHeader(Exchange.CONTENT_TYPE, String.class);
            if (contentType != null) {
                response.putHeader("Content-Type", contentType);
            }
            Integer status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
            Object body = message.getBody();
            byte[] bytes = body == null ? new byte[0]
                    : body instanceof byte[] b ? b
                    : exchange.getContext().getTypeConverter().mandatoryConvertTo(byte[].class, exchange, body);
            end(response, status != null ? status : 200, bytes);
        } catch (Exception e) {
            LOG.warn("Cannot answer {} {}: {}", ctx.request().method(), ctx.request().path(), e.toString());
            if (!response.headWritten()) {
                ErrorBody.send(response, 500, "internal error");
            }
        } finally {
            doneUoW(exchange);
            releaseExchange(exchange, false);
        }
    }

    private void fail(RoutingContext ctx, Exchange exchange, Throwable cause) {
        getExceptionHandler().handleException("Failed " + ctx.request().method() + " " + ctx.request().path(), cause);
        ctx.fail(cause);
        releaseExchange(exchange, false);
    }

    private static void end(HttpServerResponse response, int status, byte[] body) {
        if (response.closed() || response.ended()) {
            return;
        }
        response.setStatusCode(status).end(Buffer.buffer(body));
    }
}
