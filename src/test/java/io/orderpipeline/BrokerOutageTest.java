package io.orderpipeline;

import java.time.Duration;
import java.util.UUID;

import io.orderpipeline.support.FaultReport;
import io.orderpipeline.support.LoadGenerator;
import io.orderpipeline.support.Orders;
import io.orderpipeline.support.OrdersClient.Answer;
import io.orderpipeline.support.PipelineTestSupport;
import io.orderpipeline.support.PrometheusScrape;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker stops under load: POST answers 503 within the delivery timeout instead of hanging or answering 200, bad
 * requests still get their 4xx, and everything recovers by itself when the broker is back.
 */
class BrokerOutageTest extends PipelineTestSupport {

    @Test
    void whileTheBrokerIsDownOrdersAreRefusedQuicklyAndEveryAcknowledgedOrderIsStoredOnce() throws Exception {
        LoadGenerator.Result result;
        String refusedDescription = "while down " + UUID.randomUUID();
        try (LoadGenerator load = new LoadGenerator(api().baseUrl(), 4)) {
            load.awaitAcknowledged(200, Duration.ofSeconds(60));
            load.fault();
            SERVICES.stopKafka();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> load.count(503) >= 4);

                long start = System.nanoTime();
                Answer bad = api().post("{\"src_currency\": ");
                assertThat(bad.status()).isEqualTo(400);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));

                Answer refused = api().post(Orders.json(refusedDescription));
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.problem().get("detail").asText()).contains("Kafka is unavailable");

                // a load balancer stops sending orders: not ready, yet alive (no restart needed)
                management().awaitReadiness(503);
                assertThat(management().send("GET", "/observe/health/live", null, null).status()).isEqualTo(200);
                assertThat(PrometheusScrape.parse(management().send("GET", "/observe/metrics", null, null).body())
                        .sum("produce_errors_total")).as("every 503 is a produce error").isGreaterThanOrEqualTo(1);
            } finally {
                SERVICES.startKafka();
                load.recovered();
            }
            management().awaitReadiness(200);
            load.awaitAcknowledged(200, Duration.ofSeconds(120));
            load.stop();
            result = load.result();

            long deliveryTimeout = Long.parseLong(property("orders.kafka.delivery-timeout-ms"));
            assertThat(load.slowestRejectionMillis()).as("503 comes within the delivery timeout, never a hang")
                    .isLessThanOrEqualTo(deliveryTimeout + LoadGenerator.REFUSAL_GRACE_MILLIS);
            // 409: a retry while the refused attempt's key is still in flight
            assertThat(result.outcomes().keySet()).isSubsetOf("200", "503", "409").contains("200", "503");
        }
        assertThat(kafka().readAll(topic())).as("the order answered 503 was not published")
                .noneMatch(r -> new String(r.value(), java.nio.charset.StandardCharsets.UTF_8).contains(refusedDescription));
        FaultReport.Figures figures = FaultReport.verify("Kafka broker stopped under load", result, pipeline());
        assertThat(figures.phases().after()).as("orders acknowledged once the broker is back").isPositive();
    }
}
