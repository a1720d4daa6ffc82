package io.orderpipeline.upstream;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

import io.orderpipeline.platform.http.ErrorBody;
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
 * A platform-http consumer that runs its route through Camel's asynchronous routing engine, on the thread the route's
 * steps allow ({@link BlockingSteps}, read when the route starts and logged):
 * <ul>
 * <li>a route with no step that may block starts right on the request's Vert.x event loop: no hand-over to a worker
 * and back, which was half of the CPU an order cost on the HTTP side (bench/README.md). Not even a step after the
 * Kafka send may block: when the broker acknowledges before camel-kafka's producer has returned from the send
 * ({@code KafkaProducerCallBack.allSent}), camel-kafka continues the route on the calling thread, here the event
 * loop, whatever its {@code workerPool};</li>
 * <li>any other route runs on a pool of its own ({@link Workers}), so a slow step in one route
 * neither blocks the event loop nor starves another route or the management server of threads; a thread is free as
 * soon as the route goes asynchronous (the Kafka send), not when Kafka acknowledges;</li>
 * <li>steps after the send run on the Kafka client's acknowledgement thread only when none may block; otherwise the
 * {@link AckThreadExecutor} hands them to a pool.</li>
 * </ul>
 * The answer is written when the route completes, on the request's event loop.
 * <p>
 * Gap it fills: the stock consumer calls every route synchronously on a Vert.x worker (since CAMEL-20011, Camel 4.2;
 * CAMEL-27217, in Camel 4.24, frees the worker once a route goes asynchronous but still never routes on the event
 * loop), so each POST held a worker until Kafka acknowledged it, the worker pool (20) capped the orders in flight, and
 * the hand-over to a worker and back cost half of an order's CPU on the HTTP side. Measured (bench/README.md,
 * 2026-11-27): {@code bench/run} median 9,476 req/s on workers, 10,413 with orders-api on the event loop; 102 against
 * 82 µs of pipeline CPU per order. Without it: RouteThreadingTest (orders-api no longer on the event loop) and
 * FullWorkerPoolTest. Goes once Camel runs non-blocking routes on the event loop.
 */
public class NonBlockingHttpConsumer extends VertxPlatformHttpConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(NonBlockingHttpConsumer.class);

    private boolean onEventLoop;
    private ExecutorService workers;

    public NonBlockingHttpConsumer(PlatformHttpEndpoint endpoint, Processor processor,
                                   List<Handler<RoutingContext>> handlers, String routerName) {
        super(endpoint, processor, handlers, routerName);
    }

    @Override
    protected void doStart() throws Exception {
        String routeId = routeId();
        BlockingSteps.Verdict steps = BlockingSteps.of(getEndpoint().getCamelContext(), routeId);
        onEventLoop = steps.beforeSend().isEmpty() && steps.afterSend().isEmpty();
        if (onEventLoop) {
            LOG.info("Route {} starts on the Vert.x event loop: none of its steps blocks", routeId);
        } else {
            workers = Workers.pool(getEndpoint().getCamelContext(), this, "http " + routeId);
            LOG.info("Route {} runs on its own worker threads: {} may block", routeId,
                    String.join(", ", steps.beforeSend().isEmpty() ? steps.afterSend() : steps.beforeSend()));
        }
        if (!steps.afterSend().isEmpty()) {
            for (AckThreadExecutor ack : getEndpoint().getCamelContext().getRegistry()
                    .findByType(AckThreadExecutor.class)) {
                ack.handOff(getEndpoint().getCamelContext(), routeId + ": " + String.join(", ", steps.afterSend()));
            }
        }
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        if (workers != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdown(workers);
            workers = null;
        }
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
        Context eventLoop = Vertx.currentContext(); // the request's event loop: handlers run on it
        Exchange exchange = createExchange(false);
        // the answer is the message the route ends with (respond reads it); as InOut, as the stock consumer makes it,
        // every pipeline (the route's and each filter's steps) would copy its message to an out message at its end
        // (ExchangeHelper.copyResults): a copy of the header map per pipeline per request, for nothing
        exchange.setPattern(ExchangePattern.InOnly);
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
            try {
                workers.execute(() -> {
                    try {
                        route(ctx, exchange, eventLoop);
                    } catch (Exception e) {
                        eventLoop.runOnContext(v -> fail(ctx, exchange, e));
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                ErrorBody.retryLater(ctx.response(), 503, 1, "too many requests waiting for a worker, try again");
                releaseExchange(exchange, false);
            }
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
