package io.orderpipeline.platform.telemetry;

import java.util.Properties;
import java.util.UUID;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.orderpipeline.support.CollectedSpans;
import io.orderpipeline.support.Orders;
import io.orderpipeline.support.PipelineTestSupport;
import org.apache.camel.main.MainConfigurationProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** orders.tracing.enabled=false: the pipeline works as before and makes no span at all. */
class TracingOffTest extends PipelineTestSupport {

    private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();

    @Override
    protected void overrideProperties(Properties properties) {
        properties.put("orders.tracing.enabled", "false");
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        super.configure(configuration);
        CollectedSpans.into(configuration, SPANS);
    }

    @Test
    void anOrderIsStoredWithoutASpan() {
        UUID id = Orders.id(api().post(Orders.json("untraced")));
        database().awaitStored(id);
        assertThat(SPANS.getFinishedSpanItems()).isEmpty();
    }
}
