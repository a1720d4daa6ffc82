package io.orderpipeline;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.orderpipeline.support.ShippedProperties;
import io.orderpipeline.support.Orders;
import io.orderpipeline.support.GrafanaDashboard;
import io.orderpipeline.support.OrdersClient.Answer;
import io.orderpipeline.support.PipelineTestSupport;
import io.orderpipeline.support.PrometheusScrape;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * /observe/metrics after real traffic: the Go original's metrics and ours exist and moved, and the deployments/ stack
 * (Prometheus, the Grafana dashboard) asks for what the application serves.
 */
class PrometheusMetricsTest extends PipelineTestSupport {

    private static final int ORDERS = 5;

    @Test
    void everyMetricExistsAndMovedAfterOrdersAndAPoisonRecord() throws Exception {
        PrometheusScrape before = scrape();
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            ids.add(UUID.fromString(api().post(Orders.json("metered"))
                    .json().get("id").asText()));
        }
        String poisonKey = "poison-" + UUID.randomUUID();
        kafka().send(topic(), poisonKey, "{not json".getBytes(StandardCharsets.UTF_8), Map.of());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> database().allStored(ids));
        await().atMost(Duration.ofSeconds(30)).until(() -> kafka().readAll(deadLetterTopic()).stream()
                .anyMatch(r -> poisonKey.equals(r.key())));

        PrometheusScrape after = await().atMost(Duration.ofSeconds(15)).until(this::scrape,
                s -> s.sum("orders_dead_lettered_total") >= 1 && s.sum("orders_consumer_lag") == 0);

        // the Go original's five
        assertThat(after.sum("messages_produced_total") - before.sum("messages_produced_total"))
                .isGreaterThanOrEqualTo(ORDERS);
        assertThat(after.names()).contains("produce_errors_total");
        assertThat(after.sum("produce_latency_seconds_count") - before.sum("produce_latency_seconds_count"))
                .isGreaterThanOrEqualTo(ORDERS);
        assertThat(after.sum("message_delay_seconds_count") - before.sum("message_delay_seconds_count"))
                .isGreaterThanOrEqualTo(ORDERS + 1);
        assertThat(after.sum("database_insertion_time_seconds_count")
                - before.sum("database_insertion_time_seconds_count")).isGreaterThanOrEqualTo(1);
        // histograms, so that dashboards can take percentiles
        assertThat(after.names()).contains("produce_latency_seconds_bucket", "message_delay_seconds_bucket",
                "database_insertion_time_seconds_bucket");
        // rows, dead letters, lag
        assertThat(after.sum("orders_stored_total") - before.sum("orders_stored_total"))
                .isGreaterThanOrEqualTo(ORDERS);
        assertThat(after.sum("orders_dead_lettered_total") - before.sum("orders_dead_lettered_total"))
                .isGreaterThanOrEqualTo(1);
        assertThat(after.names()).contains("orders_consumer_lag");
        // Camel routes, the connection pool, the JVM
        assertThat(after.sum("camel_exchanges_total", "routeId", "orders-api")
                - before.sum("camel_exchanges_total", "routeId", "orders-api")).isGreaterThanOrEqualTo(ORDERS);
        assertThat(after.sum("hikaricp_connections_max", "pool", "orders-db"))
                .isEqualTo(Double.parseDouble(property("orders.db.pool-size")));
        assertThat(after.names()).contains("hikaricp_connections_active", "jvm_memory_used_bytes",
                "process_cpu_usage");
    }

    @Test
    void everyMetricTheGrafanaDashboardQueriesIsServed() throws Exception {
        // one order through, so that every histogram and counter has samples
        String id = api().post(Orders.json("dashboard"))
                .json().get("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(
                () -> database().isStored(UUID.fromString(id)));
        Set<String> served = await().atMost(Duration.ofSeconds(15)).until(() -> scrape().names(),
                names -> names.contains("database_insertion_time_seconds_bucket"));

        Set<String> queried = GrafanaDashboard.read(Path.of("deployments/grafana/dashboards/order-pipeline.json"))
                .metricNames();

        // postgres-exporter's pg_* series come from that exporter, not from the pipeline
        Set<String> ours = queried.stream().filter(n -> !n.startsWith("pg_")).collect(Collectors.toSet());
        assertThat(ours).as("the dashboard queries something").hasSizeGreaterThan(10);
        assertThat(served).containsAll(ours);
    }

    @Test
    void prometheusScrapesTheManagementPortAndMetricsPathTheApplicationConfigures() throws Exception {
        Properties shipped = ShippedProperties.load();
        JsonNode config = new ObjectMapper(new YAMLFactory()).readTree(Path.of("deployments/prometheus/prometheus.yml")
                .toFile());
        JsonNode job = StreamSupport.stream(config.get("scrape_configs").spliterator(), false)
                .filter(j -> j.get("job_name").asText().equals("order-pipeline")).findFirst().orElseThrow();

        assertThat(job.get("metrics_path").asText()).isEqualTo(shipped.getProperty("camel.metrics.path"));
        assertThat(job.at("/static_configs/0/targets/0").asText())
                .isEqualTo(shipped.getProperty("orders.management.host") + ":"
                        + shipped.getProperty("orders.management.port"));
    }

    private PrometheusScrape scrape() throws Exception {
        Answer answer = management().send("GET", "/observe/metrics", null, null);
        assertThat(answer.status()).isEqualTo(200);
        Files.writeString(Path.of("target", "metrics-scrape.txt"), answer.body()); // the last one, to read
        assertThat(answer.contentType()).startsWith("text/plain");
        return PrometheusScrape.parse(answer.body());
    }
}
