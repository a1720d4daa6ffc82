package io.orderpipeline;

import java.time.Duration;
import java.util.UUID;

import io.orderpipeline.support.Orders;
import io.orderpipeline.support.FaultReport;
import io.orderpipeline.support.LoadGenerator;
import io.orderpipeline.support.OrdersClient.Answer;
import io.orderpipeline.support.PipelineTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** PostgreSQL stops for several seconds under load: orders keep being accepted and are stored once it is back. */
class DatabaseOutageTest extends PipelineTestSupport {

    @Test
    void ordersAcceptedWhilePostgresIsDownAreStoredExactlyOnceWhenItReturnsAndNoneAreDeadLettered()
            throws Exception {
        String keyedDescription = "keyed during the outage " + UUID.randomUUID();
        // orders without an Idempotency-Key: those do not need the database at the door
        try (LoadGenerator load = LoadGenerator.withoutKeys(api().baseUrl(), 4)) {
            load.awaitAcknowledged(200, Duration.ofSeconds(60));
            assertThat(management().send("GET", "/observe/health/ready", null, null).status()).isEqualTo(200);
            UUID before = Orders.id(api().post(Orders.json("looked up during the outage")));
            database().awaitStored(before);
            load.fault();
            SERVICES.stopPostgres();
            try {
                // the API does not need the database: Kafka holds the orders meanwhile
                load.awaitAcknowledged(200, Duration.ofSeconds(60));
                Answer notReady = management().awaitReadiness(503);
                assertThat(notReady.body()).contains("orders-database");
                assertThat(management().send("GET", "/observe/health/live", null, null).status()).isEqualTo(200);
                // one with a key does: refused, nothing published, the client told when to try again
                Answer keyed = api().withHeaders("Idempotency-Key", "during-outage").post(
                        Orders.json(keyedDescription));
                assertThat(keyed.status()).isEqualTo(503);
                assertThat(keyed.header("Retry-After")).isNotBlank();
                // a lookup needs it too: 503 with Retry-After, not a 404 for an order that exists
                Answer lookup = api().get("/orders/" + before);
                assertThat(lookup.status()).as(lookup.body()).isEqualTo(503);
                assertThat(lookup.header("Retry-After")).isNotBlank();
                Thread.sleep(5_000);
            } finally {
                SERVICES.startPostgres();
                load.recovered();
            }
            load.awaitAcknowledged(200, Duration.ofSeconds(60));
            management().awaitReadiness(200);
            load.stop();
            assertThat(kafka().readAll(topic())).as("the order refused with 503 was not published")
                    .noneMatch(r -> new String(r.value(), java.nio.charset.StandardCharsets.UTF_8).contains(keyedDescription));

            // an outage (far longer than one round of the sink's retries, 100 + 200 + 400 ms) is not a reason to
            // dead-letter
            FaultReport.Figures figures = FaultReport.verify("PostgreSQL stopped 5+ s under load", load.result(),
                    pipeline());
            assertThat(figures.phases().during()).as("orders acknowledged while PostgreSQL was down").isPositive();
            assertThat(figures.outcomes().keySet()).containsOnly("200");
        }
    }
}
