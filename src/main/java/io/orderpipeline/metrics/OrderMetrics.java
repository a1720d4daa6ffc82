package io.orderpipeline.metrics;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

/**
 * The order meters a route cannot express with {@code micrometer:} endpoints. They are created at once and start
 * publishing when {@link MetricsSetup} hands over the Prometheus registry (with metrics off they are never published).
 */
public class OrderMetrics {

    private final CompositeMeterRegistry meters = new CompositeMeterRegistry();
    private final Timer messageDelay;

    public OrderMetrics() {
        this.messageDelay = Timer.builder("message.delay")
                .description("Time from the order's publish (Kafka record timestamp) to its consume by the sink")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(1))
                .register(meters);
    }

    public void publishTo(MeterRegistry registry) {
        meters.add(registry);
    }

    /** Records how long ago a record was published; clocks of other hosts may be slightly ahead, so never below 0. */
    public void recordMessageDelay(long publishedAtEpochMillis) {
        messageDelay.record(Math.max(0, System.currentTimeMillis() - publishedAtEpochMillis), TimeUnit.MILLISECONDS);
    }
}
