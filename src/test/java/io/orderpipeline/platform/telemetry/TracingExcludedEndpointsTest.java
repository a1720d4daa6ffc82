package io.orderpipeline.platform.telemetry;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.orderpipeline.support.CollectedSpans;
import io.orderpipeline.support.Orders;
import io.orderpipeline.support.PipelineTestSupport;
import org.apache.camel.main.MainConfigurationProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * orders.tracing.exclude-patterns: the endpoints it names make no span, the sink's own spans (consume, INSERT) going
 * with its Kafka endpoint; the others still do.
 */
class TracingExcludedEndpointsTest extends PipelineTestSupport {

    private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();

    @Override
    protected void overrideProperties(Properties properties) {
        properties.put("orders.tracing.exclude-patterns", "kafka:*");
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        super.configure(configuration);
        CollectedSpans.into(configuration, SPANS);
    }

    @Test
    void theRequestIsTracedAndTheKafkaEndpointsAndTheSinkAreNot() {
        UUID id = Orders.id(api().post(Orders.json("partly traced")));
        database().awaitStored(id);
        // the request's span ends after the send's would have: once it is there, a Kafka span would be too
        await().atMost(Duration.ofSeconds(30)).until(() -> SPANS.getFinishedSpanItems().stream()
                .anyMatch(s -> s.getName().equals("POST")));
        List<String> names = SPANS.getFinishedSpanItems().stream().map(SpanData::getName).toList();
        assertThat(names).contains("POST").doesNotContain(topic(), topic() + " process", "INSERT orders");
    }
}
