package io.orderpipeline.platform.metrics;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.orderpipeline.platform.NonBlocking;
import org.apache.camel.Exchange;

/**
 * The order meters, named as the Go original named them (Prometheus: messages_produced_total, produce_errors_total,
 * produce_latency_seconds, message_delay_seconds, database_insertion_time_seconds) plus orders_stored_total and
 * orders_dead_lettered_total. The routes call it as a bean: a plain method call costs far less per order than a
 * {@code micrometer:} endpoint, which evaluates its options as expressions on every message. The meters exist from
 * the start (at 0) and are published once {@link MetricsSetup} hands over the Prometheus registry.
 */
@NonBlocking
public class OrderMetrics {

    private final CompositeMeterRegistry meters = new CompositeMeterRegistry();
    private final Counter produced = Counter.builder("messages.produced")
            .description("Orders the broker acknowledged (each answered 200)").register(meters);
    private final Counter produceErrors = Counter.builder("produce.errors")
            .description("Orders the broker did not acknowledge in time (each answered 503)").register(meters);
    private final Counter stored = Counter.builder("orders.stored")
            .description("Orders the sink inserted (a redelivered order counts again, its row does not)")
            .register(meters);
    private final Counter deadLettered = Counter.builder("orders.dead.lettered")
            .description("Records the sink published to the dead-letter topic").register(meters);
    private final Timer produceLatency = histogram("produce.latency",
            "From the order's request to the broker's acknowledgement of its record");
    private final Timer messageDelay = histogram("message.delay",
            "From the order's publish (Kafka record timestamp) to its consume by the sink");
    private final Timer insertionTime = histogram("database.insertion.time",
            "One batched INSERT of the sink (all the orders of one poll)");

    private Timer histogram(String name, String description) {
        return Timer.builder(name).description(description)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(meters);
    }

    public void publishTo(MeterRegistry registry) {
        meters.add(registry);
    }

    /** The broker acknowledged the order of this exchange. */
    public void produced(Exchange exchange) {
        produced.increment();
        produceLatency.record(Math.max(0, System.currentTimeMillis() - exchange.getClock().getCreated()),
                TimeUnit.MILLISECONDS);
    }

    /** A batch's orders the broker acknowledged, all at once (route orders-batch). */
    public void producedAll(int orders, Exchange exchange) {
        produced.increment(orders);
        long millis = Math.max(0, System.currentTimeMillis() - exchange.getClock().getCreated());
        for (int i = 0; i < orders; i++) {
            produceLatency.record(millis, TimeUnit.MILLISECONDS);
        }
    }

    public void produceFailed() {
        produceErrors.increment();
    }

    /** A request of this client was refused by the rate limit (orders_rate_limited_total{client}). */
    public void rateLimited(String client) {
        Counter.builder("orders.rate.limited").description("Requests refused by the per-client rate limit (429)")
                .tag("client", client).register(meters).increment();
    }

    /** An API request was refused for want of valid credentials (orders_authentication_failures_total{reason}). */
    public void authenticationFailed(String reason) {
        Counter.builder("orders.authentication.failures")
                .description("API requests refused 401, by reason (missing, unknown_key, invalid_token, no_expiry,"
                        + " no_client_id)").tag("reason", reason).register(meters).increment();
    }

    /** Meters that another part keeps (the HTTP servers' connection guards), published with these. */
    public void bind(MeterBinder binder) {
        binder.bindTo(meters);
    }

    /** Records how long ago a record was published; clocks of other hosts may be slightly ahead, so never below 0. */
    public void recordMessageDelay(long publishedAtEpochMillis) {
        messageDelay.record(Math.max(0, System.currentTimeMillis() - publishedAtEpochMillis), TimeUnit.MILLISECONDS);
    }

    /** One INSERT stored {@code rows} orders; it started at {@code startedNanos} ({@link System#nanoTime()}). */
    public void inserted(int rows, long startedNanos) {
        insertionTime.record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
        stored.increment(rows);
    }

    /** Orders stored one at a time (the records a batch could not take). */
    public void stored(int rows) {
        stored.increment(rows);
    }

    public void deadLettered() {
        deadLettered.increment();
    }
}
