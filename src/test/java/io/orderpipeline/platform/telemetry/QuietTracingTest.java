package io.orderpipeline.platform.telemetry;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;

import io.orderpipeline.support.EmbeddedServices;
import io.orderpipeline.support.LogCapture;
import io.orderpipeline.support.Orders;
import io.orderpipeline.support.PipelineTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The default start with no tracing collector running: the pipeline says once, in one line of its own layout, that
 * no collector answers, where the OTLP exporter wrote a multi-line SEVERE report through java.util.logging for every
 * batch of spans it could not send.
 */
class QuietTracingTest extends PipelineTestSupport {

    private static final String ORDER = Orders.json("traced");

    @Override
    protected void overrideProperties(Properties properties) {
        properties.put("orders.tracing.exporter", "otlp");
        // nothing listens there
        properties.put("orders.tracing.otlp-endpoint", "http://127.0.0.1:" + EmbeddedServices.freePort());
        properties.put("orders.tracing.export-timeout-ms", "500");
    }

    @Test
    void noCollectorIsOneWarnLineInTheLogsLayoutAndNothingElse() {
        PrintStream err = System.err;
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try (LogCapture log = LogCapture.capture()) {
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            for (int batch = 0; batch < 2; batch++) {
                assertThat(api().post(ORDER).status()).isEqualTo(200);
                // spans leave in batches every five seconds: two batches fail to export
                await().pollDelay(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(7)).until(() -> true);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> !log.of(QuietSpanExporter.class).isEmpty());

            assertThat(log.of(QuietSpanExporter.class)).as("lines about the collector").hasSize(1);
            assertThat(log.of(QuietSpanExporter.class).get(0).getMessage().getFormattedMessage())
                    .contains("no OTLP collector answers");
            assertThat(log.under("io.opentelemetry", "io.orderpipeline", "org.apache.camel.opentelemetry2"))
                    .as("tracing's log events with a stack trace").noneMatch(e -> e.getThrown() != null);
        } finally {
            System.setErr(err);
        }
        assertThat(stderr.toString(StandardCharsets.UTF_8)).as("written around the log layout").isEmpty();
    }
}
