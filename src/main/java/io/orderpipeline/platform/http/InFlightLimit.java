package io.orderpipeline.platform.http;

import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.AuthenticationHandler;

/**
 * Caps the orders in flight: POSTs taken but not yet answered, most of them waiting for the broker's acknowledgement.
 * Beyond the cap a POST gets 503 with {@code Retry-After} at once and reaches no route, so nothing is published; a
 * stalled broker then costs a bounded amount of memory instead of every request a client can open. In front of every
 * route of the API server (the start-up puts it there); an atomic counter, no lock.
 */
public final class InFlightLimit implements AuthenticationHandler {

    private final int max;
    private final AtomicInteger inFlight = new AtomicInteger();

    public InFlightLimit(int max) {
        if (max <= 0) {
            throw new IllegalArgumentException("orders.http.max-in-flight must be positive, got " + max);
        }
        this.max = max;
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (ctx.request().method() != HttpMethod.POST) {
            ctx.next();
            return;
        }
        if (inFlight.incrementAndGet() > max) {
            inFlight.decrementAndGet();
            ErrorBody.retryLater(ctx.response(), 503, 1, "too many orders in flight (" + max + "), try again");
            return;
        }
        // once the answer is sent, or the connection is gone without one
        ctx.addEndHandler(done -> inFlight.decrementAndGet());
        ctx.next();
    }

    public int inFlight() {
        return inFlight.get();
    }
}
