package io.orderpipeline;

import java.util.Properties;
import java.util.UUID;

import io.orderpipeline.support.Orders;
import io.orderpipeline.support.OrdersClient.Answer;
import io.orderpipeline.support.PipelineTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** With orders.metrics.enabled=false the pipeline works as before and serves no metrics. */
class MetricsOffTest extends PipelineTestSupport {

    @Override
    protected void overrideProperties(Properties properties) {
        properties.put("orders.metrics.enabled", "false");
    }

    @Test
    void ordersAreStoredAndTheManagementServerHasNoMetricsEndpoint() {
        UUID id = Orders.id(api().post(Orders.json("no metrics")));
        database().awaitStored(id);

        Answer metrics = management().get("/observe/metrics");
        assertThat(metrics.status()).isEqualTo(404);
        assertThat(metrics.body()).doesNotContain("orders_received_total");
        assertThat(management().get("/observe/health/ready").status()).isEqualTo(200);
    }
}
