package io.orderpipeline.platform.metrics;

import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderpipeline.platform.kafka.KafkaClients;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes the Prometheus registry that camel-micrometer-prometheus serves at /observe/metrics with the
 * {@link OrderMetrics}, the HikariCP pool and the sink's consumer lag. Does nothing when metrics are off ({@code camel.metrics.enabled=false}).
 */
public final class MetricsSetup {

    /** Where camel-micrometer keeps its registry. */
    public static final String REGISTRY = MicrometerConstants.METRICS_REGISTRY_NAME;

    private static final Logger LOG = LoggerFactory.getLogger(MetricsSetup.class);

    private MetricsSetup() {
    }

    public static void bind(CamelContext context, KafkaClients kafka, String topic, String group) {
        MeterRegistry registry = context.getRegistry().lookupByNameAndType(REGISTRY, MeterRegistry.class);
        if (registry == null) {
            return;
        }
        for (HikariDataSource pool : context.getRegistry().findByType(HikariDataSource.class)) {
            try {
                if (pool.getMetricRegistry() == null) {
                    pool.setMetricRegistry(registry);
                }
            } catch (IllegalStateException alreadyStarted) {
                LOG.warn("No metrics for connection pool {}: it started before metrics were set up", pool.getPoolName());
            }
        }
        for (OrderMetrics metrics : context.getRegistry().findByType(OrderMetrics.class)) {
            metrics.publishTo(registry);
        }
        ConsumerLag lag = new ConsumerLag(() -> kafka.admin(Duration.ofSeconds(5)), topic, group,
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
