package io.orderpipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

import io.orderpipeline.order.OrderValidator;
import io.orderpipeline.platform.metrics.OrderMetrics;
import io.orderpipeline.sink.OrderBatch;
import io.orderpipeline.sink.OrderRecordBatch;
import io.orderpipeline.sink.RecordTracing;
import io.orderpipeline.support.FaultReport;
import io.orderpipeline.support.LoadGenerator;
import io.orderpipeline.support.PipelineTestSupport;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The fault figures can show a loss: with a sink that drops one record in a thousand (set up here only), the check
 * every fault test ends with fails, and the row it wrote to target/fault-figures.md first shows the missing orders.
 */
class LossyRunTest extends PipelineTestSupport {

    private static final String LABEL = "deliberately lossy sink, 1 record in 1000 dropped (this check must fail)";

    /** orders-sink's batch reader, skipping every thousandth record it is handed (its offset is committed anyway). */
    public static class DroppingRecordBatch extends OrderRecordBatch {
        private final AtomicLong seen = new AtomicLong();

        public DroppingRecordBatch(OrderValidator validator, OrderMetrics metrics, RecordTracing tracing) {
            super(validator, metrics, tracing);
        }

        @Override
        public OrderBatch read(@Body List<Exchange> records) {
            List<Exchange> kept = new ArrayList<>(records.size());
            for (Exchange record : records) {
                if (seen.incrementAndGet() % 1000 != 0) {
                    kept.add(record);
                }
            }
            return super.read(kept);
        }
    }

    @Override
    protected void overrideProperties(Properties properties) {
        properties.put("camel.beans.orderRecordBatch", "#class:" + DroppingRecordBatch.class.getName()
                + "(#bean:orderValidator, #bean:orderMetrics, #bean:recordTracing)");
    }

    @Test
    void aSinkThatDropsOrdersFailsTheCheckAndTheFiguresShowTheLoss() throws Exception {
        LoadGenerator.Result result;
        try (LoadGenerator load = LoadGenerator.withoutKeys(api().baseUrl(), 4)) {
            load.awaitAcknowledged(3_000, Duration.ofSeconds(120));
            load.stop();
            result = load.result();
        }

        assertThatThrownBy(() -> FaultReport.verify(LABEL, result, pipeline(), Duration.ofSeconds(10)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("acknowledged but not stored");

        List<String> lines = Files.readAllLines(Path.of("target", "fault-figures.md"));
        List<String> header = cells(lines.stream().filter(l -> l.startsWith("| fault test |")).findFirst()
                .orElseThrow());
        String row = lines.stream().filter(l -> l.startsWith("| " + LABEL + " |")).reduce((first, last) -> last)
                .orElseThrow();
        List<String> cells = cells(row);
        long missing = Long.parseLong(cells.get(header.indexOf("missing")));
        assertThat(missing).as(row).isGreaterThanOrEqualTo(result.acknowledged().size() / 1000 - 1).isPositive();
        assertThat(cells.get(header.indexOf("Idempotency-Keys sent"))).as("keyless: no keys to count").isEqualTo("n/a");
        assertThat(cells.get(header.indexOf("of them before / during / after the fault")))
                .as("no fault marked: no phases to count").isEqualTo("n/a");
    }

    private static List<String> cells(String row) {
        return java.util.Arrays.stream(row.split("\\|")).map(String::trim).toList();
    }
}
