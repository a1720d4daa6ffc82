package io.orderpipeline.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.orderpipeline.kafka.TopicProvisioner;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes the Prometheus registry that camel-micrometer-prometheus serves at /observe/metrics: histogram buckets for
 * the timers the routes record (so dashboards can take percentiles), the HikariCP pool, the sink's consumer lag and
 * the {@link OrderMetrics}. Does nothing when metrics are off ({@code camel.metrics.enabled=false}).
 */
public final class MetricsSetup {

    /** Where camel-micrometer keeps its registry. */
    public static final String REGISTRY = "metricsRegistry";

    private static final Logger LOG = LoggerFactory.getLogger(MetricsSetup.class);
    private static final Set<String> HISTOGRAMS = Set.of("produce.latency", "database.insertion.time");
    private static final Map<String, String> COUNTERS = Map.of(
            "messages.produced", "Orders the broker acknowledged (each answered 200)",
            "produce.errors", "Orders not accepted because the broker did not acknowledge them (each answered 503)",
            "orders.stored", "Orders the sink inserted (a redelivered order counts again, its row does not)",
            "orders.dead.lettered", "Records the sink published to the dead-letter topic");

    private MetricsSetup() {
    }

    public static void bind(CamelContext context, String brokers, String topic, String group) {
        MeterRegistry registry = context.getRegistry().lookupByNameAndType(REGISTRY, MeterRegistry.class);
        if (registry == null) {
            return;
        }
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!HISTOGRAMS.contains(id.getName())) {
                    return config;
                }
                return DistributionStatisticConfig.builder()
                        .percentilesHistogram(true)
                        .minimumExpectedValue((double) Duration.ofMillis(1).toNanos())
                        .maximumExpectedValue((double) Duration.ofSeconds(30).toNanos())
                        .build().merge(config);
            }
        });
        for (HikariDataSource pool : context.getRegistry().findByType(HikariDataSource.class)) {
            try {
                if (pool.getMetricRegistry() == null) {
                    pool.setMetricRegistry(registry);
                }
            } catch (IllegalStateException alreadyStarted) {
                LOG.warn("No metrics for connection pool {}: it started before metrics were set up", pool.getPoolName());
            }
        }
        // the counters the routes increment with micrometer: endpoints, at 0 before the first increment (same
        // tags as those endpoints give them), so that rate() and alerts see them from the start
        COUNTERS.forEach((name, description) -> Counter.builder(name).description(description)
                .tag("camelContext", context.getName()).register(registry));
        for (OrderMetrics metrics : context.getRegistry().findByType(OrderMetrics.class)) {
            metrics.publishTo(registry);
        }
        ConsumerLag lag = new ConsumerLag(() -> TopicProvisioner.connect(brokers, Duration.ofSeconds(5)), topic, group,
                Duration.ofSeconds(2));
        try {
            context.addService(lag, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the consumer lag meter", e);
        }
        Gauge.builder("orders.consumer.lag", lag, ConsumerLag::records)
                .description("Records on the orders topic the sink's consumer group has not committed yet")
                .tag("topic", topic).tag("group", group)
                .strongReference(true)
                .register(registry);
    }
}
