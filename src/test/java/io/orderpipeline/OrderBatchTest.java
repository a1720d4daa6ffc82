package io.orderpipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderpipeline.support.OrdersClient.Answer;
import io.orderpipeline.support.PipelineTestSupport;
import io.orderpipeline.support.ProblemTypes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** POST /orders/batch: many orders in one request, each accepted or refused on its own, each its own record. */
class OrderBatchTest extends PipelineTestSupport {

    private static final int MAX_BATCH = 120;

    @Override
    protected void overrideProperties(Properties properties) {
        properties.put("orders.http.max-batch", String.valueOf(MAX_BATCH));
    }

    private static String order(int channel, String description) {
        return "{\"src_currency\": 840, \"dst_currency\": 978, \"description\": \"" + description
                + "\", \"channel\": " + channel + "}";
    }

    private Answer postBatch(String json) {
        return api().send("POST", "/orders/batch", "application/json", json.getBytes());
    }

    @Test
    void aBatchWithRefusedItemsIs207AndPublishesEachAcceptedOrderOnce() {
        String batch = "[" + order(1, "first") + ", " + order(5, "bad channel") + ", \"not an object\", "
                + order(21, "last") + "]";

        Answer answer = postBatch(batch);

        assertThat(answer.status()).as(answer.body()).isEqualTo(207);
        JsonNode body = answer.json();
        assertThat(body.get("accepted").asInt()).isEqualTo(2);
        assertThat(body.get("refused").asInt()).isEqualTo(2);
        JsonNode results = body.get("results");
        assertThat(results).hasSize(4);
        assertThat(results.get(0).get("status").asInt()).isEqualTo(200);
        // a refused item is a problem, as an error answer is, with its index
        assertThat(ProblemTypes.check(400, results.get(1)).get("field").asText()).isEqualTo("channel");
        assertThat(results.get(1).get("index").asInt()).isEqualTo(1);
        assertThat(ProblemTypes.check(400, results.get(2)).get("index").asInt()).isEqualTo(2);
        assertThat(results.get(3).get("index").asInt()).isEqualTo(3);
        List<UUID> ids = List.of(UUID.fromString(results.get(0).get("id").asText()),
                UUID.fromString(results.get(3).get("id").asText()));

        // acknowledged before the answer: the records are there, each keyed by its order's id
        List<ConsumerRecord<String, byte[]>> records = kafka().readAll(topic()).stream()
                .filter(r -> ids.contains(UUID.fromString(r.key()))).toList();
        assertThat(records).hasSize(2);
        assertThat(new String(records.stream().filter(r -> r.key().equals(ids.get(1).toString())).findFirst()
                .orElseThrow().value())).contains("\"description\":\"last\"", "\"channel\":21");
        database().awaitStored(ids);
        Answer stored = api().get("/orders/" + ids.get(1));
        assertThat(stored.json().get("description").asText()).isEqualTo("last");
        assertThat(java.time.Instant.parse(stored.json().get("created_at").asText().replace("+00:00", "Z")))
                .isEqualTo(java.time.Instant.parse(results.get(3).get("created_at").asText()));
    }

    @Test
    void aFullBatchIs200AndEveryOrderIsStored() {
        String batch = IntStream.range(0, MAX_BATCH).mapToObj(i -> order(1, "order " + i))
                .collect(Collectors.joining(",", "[", "]"));

        Answer answer = postBatch(batch);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        List<UUID> ids = new ArrayList<>();
        answer.json().get("results").forEach(r -> ids.add(UUID.fromString(r.get("id").asText())));
        assertThat(ids).hasSize(MAX_BATCH).doesNotHaveDuplicates();
        database().awaitStored(ids);
    }

    @Test
    void aBatchThatIsNotAnArrayOfOneToMaxOrdersIsRefusedWholeAndPublishesNothing() {
        long before = kafka().endOffsets(topic());
        assertThat(postBatch(order(1, "an object")).status()).isEqualTo(400);
        assertThat(postBatch("[]").status()).isEqualTo(400);
        assertThat(postBatch("[" + order(1, "x") + ",").status()).isEqualTo(400);
        Answer tooMany = postBatch(IntStream.range(0, MAX_BATCH + 1).mapToObj(i -> order(1, "o"))
                .collect(Collectors.joining(",", "[", "]")));
        assertThat(tooMany.status()).isEqualTo(413);
        assertThat(tooMany.problem().get("detail").asText()).contains(String.valueOf(MAX_BATCH));
        Answer allRefused = postBatch("[" + order(5, "bad") + "]");
        assertThat(allRefused.status()).isEqualTo(207);
        assertThat(allRefused.json().get("accepted").asInt()).isZero();
        assertThat(kafka().endOffsets(topic())).isEqualTo(before);
    }
}
