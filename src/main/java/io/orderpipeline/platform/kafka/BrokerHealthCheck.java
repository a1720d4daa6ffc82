package io.orderpipeline.platform.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Service;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Readiness: the Kafka cluster answers a metadata request within {@value #TIMEOUT_MS} ms. A broker that is down, or
 * up but not answering (frozen, overloaded), makes the pipeline not ready: the API would only answer 503. Camel's own
 * producer check cannot serve here: it reads a producer's connections, and the dead-letter producer has none until
 * its first record. One admin client, made at the first call, closed with the context.
 */
public final class BrokerHealthCheck extends AbstractHealthCheck implements Service {

    private static final int TIMEOUT_MS = 2000;

    private final KafkaClients kafka;
    private Admin admin;

    public BrokerHealthCheck(KafkaClients kafka) {
        super("orders", "orders-broker");
        this.kafka = kafka;
    }

    @Override
    public boolean isLiveness() {
        return false; // an outage is waited out, not a reason to restart the process
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            admin().describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS)).nodes()
                    .get(TIMEOUT_MS + 500, TimeUnit.MILLISECONDS);
            builder.up();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            builder.down();
        } catch (Exception e) {
            builder.message("Kafka at " + kafka.bootstrapServers() + " did not answer within " + TIMEOUT_MS + " ms")
                    .down();
        }
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = kafka.admin(Duration.ofMillis(TIMEOUT_MS));
        }
        return admin;
    }

    @Override
    public void start() {
        // the admin client is made at the first check
    }

    @Override
    public synchronized void stop() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
            admin = null;
        }
    }
}
