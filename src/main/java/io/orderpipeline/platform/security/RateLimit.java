package io.orderpipeline.platform.security;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.orderpipeline.platform.http.ErrorBody;
import io.orderpipeline.platform.metrics.OrderMetrics;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.AuthenticationHandler;

/**
 * A token bucket per client (Bucket4j): the authenticated client's id, or the remote address when the API runs
 * without authentication. A request beyond the rate gets 429 with {@code Retry-After} and reaches no route, so nothing
 * is published. Runs on the event loop after {@link ClientAuthentication}; a bucket check takes no lock and no I/O.
 */
public final class RateLimit implements AuthenticationHandler {

    private final long perSecond;
    private final long burst;
    private final OrderMetrics metrics;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimit(long perSecond, long burst, OrderMetrics metrics) {
        if (perSecond <= 0 || burst <= 0) {
            throw new IllegalArgumentException("orders.http.rate-limit.per-second and .burst must be positive, got "
                    + perSecond + " and " + burst);
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.metrics = metrics;
    }

    @Override
    public void handle(RoutingContext ctx) {
        boolean authenticated = ctx.user() != null;
        String client = authenticated ? ClientAuthentication.clientId(ctx.user()) : ctx.request().remoteAddress().host();
        ConsumptionProbe probe = buckets.computeIfAbsent(client, c -> newBucket()).tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            ctx.next();
            return;
        }
        // anonymous clients share one tag: remote addresses would make a meter each
        metrics.rateLimited(authenticated ? client : "anonymous");
        long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
        ErrorBody.retryLater(ctx.response(), 429, seconds, "rate limit exceeded: " + perSecond + " requests a second per client"
                + " (bursts of " + burst + "), try again in " + seconds + " s");
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(burst).refillGreedy(perSecond, Duration.ofSeconds(1)))
                .build();
    }

    /** Forgets the buckets that are full again: a new one would be the same, and addresses come and go. */
    public void forgetIdle() {
        buckets.values().removeIf(bucket -> bucket.getAvailableTokens() >= burst);
    }

    int size() {
        return buckets.size();
    }
}
