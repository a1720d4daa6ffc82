package io.orderpipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderpipeline.support.Orders;
import io.orderpipeline.support.OrdersClient.Answer;
import io.orderpipeline.support.PipelineTestSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class OrdersEndToEndTest extends PipelineTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anAcceptedOrderIsOnTheTopicAndThenStoredWithTheSameIdAndFields() throws Exception {
        Answer answer = api().post(Orders.json("test order"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("application/json");
        JsonNode order = answer.json();
        UUID id = UUID.fromString(order.get("id").asText());
        assertThat(order.get("src_currency").asLong()).isEqualTo(1);
        assertThat(order.get("dst_currency").asLong()).isEqualTo(2);
        assertThat(order.get("description").asText()).isEqualTo("test order");
        assertThat(order.get("channel").asInt()).isEqualTo(1);
        Instant createdAt = Instant.parse(order.get("created_at").asText());
        assertThat(createdAt).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));

        // the 200 came after the broker's acknowledgement: the record is already on the topic, keyed by the id
        List<ConsumerRecord<String, byte[]>> records = kafka().readAll(topic());
        ConsumerRecord<String, byte[]> record = records.stream()
                .filter(r -> id.toString().equals(r.key())).findFirst().orElseThrow();
        assertThat(JSON.readTree(record.value())).isEqualTo(order);
        assertThat(record.headers().toArray())
                .as("request headers are not copied onto the record: only its contract version and the trace")
                .extracting(org.apache.kafka.common.header.Header::key)
                .containsExactlyInAnyOrder("contract_version", "traceparent");

        Map<String, Object> row = await().atMost(Duration.ofSeconds(30))
                .until(() -> database().row(id), java.util.Optional::isPresent).orElseThrow();
        assertThat(row).containsEntry("src_currency", 1L)
                .containsEntry("dst_currency", 2L)
                .containsEntry("description", "test order")
                .containsEntry("channel", 1);
        assertThat(((java.sql.Timestamp) row.get("created_at")).toInstant()).isEqualTo(createdAt);
        assertThat(row.get("persisted_at")).isNotNull();
    }

    @Test
    void theTrailingSlashPathOfTheOriginalAlsoTakesOrders() {
        Answer answer = api().send("POST", "/orders/", "application/json; charset=utf-8",
                """
                {"src_currency": 9223372036854775807, "dst_currency": 0, "channel": 61, "ignored": [1, 2]}"""
                        .getBytes());

        assertThat(answer.status()).isEqualTo(200);
        UUID id = Orders.id(answer);
        Map<String, Object> row = await().atMost(Duration.ofSeconds(30))
                .until(() -> database().row(id), java.util.Optional::isPresent).orElseThrow();
        assertThat(row).containsEntry("src_currency", Long.MAX_VALUE)
                .containsEntry("dst_currency", 0L)
                .containsEntry("description", "")
                .containsEntry("channel", 61);
    }

    @Test
    void everyOrderGetsItsOwnId() {
        String body = """
                {"src_currency": 3, "dst_currency": 4, "description": "same body", "channel": 2}""";
        String first = api().post(body).json().get("id").asText();
        String second = api().post(body).json().get("id").asText();

        assertThat(first).isNotEqualTo(second);
        await().atMost(Duration.ofSeconds(30)).until(() -> database().allStored(List.of(UUID.fromString(first), UUID.fromString(second))));
    }

    @Test
    void descriptionsThatLookLikeArrayOrSqlSyntaxAreStoredExactlyAsSent() throws Exception {
        // the sink hands a batch to PostgreSQL as one text array per column: nothing may be split, unquoted or nulled
        List<String> descriptions = List.of("NULL", "null", "{1,2}", "a \"quoted\" word, a \\ backslash",
                "}{,\"", "'; DROP TABLE orders; --", "日本語 ✓ 😀", "  spaces  ", "tab\tand\nnewline", "");
        Map<UUID, String> sent = new java.util.LinkedHashMap<>();
        for (String description : descriptions) {
            String body = JSON.createObjectNode().put("src_currency", 1).put("dst_currency", 2)
                    .put("description", description).put("channel", 1).toString();
            Answer answer = api().post(body);
            assertThat(answer.status()).as(body).isEqualTo(200);
            sent.put(Orders.id(answer), description);
        }

        sent.forEach((id, description) -> {
            Map<String, Object> row = await().atMost(Duration.ofSeconds(30))
                    .until(() -> database().row(id), java.util.Optional::isPresent).orElseThrow();
            assertThat(row.get("description")).as("description of %s", id).isEqualTo(description);
        });
    }

    @Test
    void ordersKeepTheirIdAsKeyButFillOnePartitionAtATime() {
        String body = """
                {"src_currency": 5, "dst_currency": 6, "description": "sticky", "channel": 3}""";
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < 20; i++) {
            ids.add(api().post(body).json().get("id").asText());
        }

        List<ConsumerRecord<String, byte[]>> records = kafka().readAll(topic()).stream()
                .filter(r -> ids.contains(r.key())).toList();
        assertThat(records).as("every order on the topic, keyed by its id").hasSize(20);
        // hashing 20 random ids over the topic's 3 partitions would use all three (p > 0.999); the sticky
        // partitioner moves on only after a batch.size (16 KB) of records, and 20 orders are ~6 KB
        assertThat(records.stream().map(ConsumerRecord::partition).distinct().count())
                .as("partitions the 20 orders went to").isLessThanOrEqualTo(2);
    }
}
