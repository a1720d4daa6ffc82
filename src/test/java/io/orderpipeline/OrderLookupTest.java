package io.orderpipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderpipeline.support.OrdersClient.Answer;
import io.orderpipeline.support.PipelineTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** GET /orders/{id} lets a client confirm that its order was persisted. */
class OrderLookupTest extends PipelineTestSupport {

    @Test
    void aPersistedOrderIsReturnedAsStored() {
        JsonNode accepted = api().post("""
                {"src_currency": 840, "dst_currency": 978, "description": "look me up", "channel": 21}""").json();
        String id = accepted.get("id").asText();

        Answer found = await().atMost(Duration.ofSeconds(30))
                .until(() -> api().send("GET", "/orders/" + id, null, null), a -> a.status() == 200);

        assertThat(found.contentType()).isEqualTo("application/json");
        JsonNode order = found.json();
        assertThat(order.get("id").asText()).isEqualTo(id);
        assertThat(order.get("src_currency").asLong()).isEqualTo(840);
        assertThat(order.get("dst_currency").asLong()).isEqualTo(978);
        assertThat(order.get("description").asText()).isEqualTo("look me up");
        assertThat(order.get("channel").asInt()).isEqualTo(21);
        assertThat(Instant.parse(order.get("created_at").asText().replace("+00:00", "Z")))
                .isEqualTo(Instant.parse(accepted.get("created_at").asText()));
        assertThat(order.get("persisted_at").isTextual()).isTrue();
    }

    @Test
    void anUnknownIdIs404() {
        Answer answer = api().send("GET", "/orders/" + UUID.randomUUID(), null, null);

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.problem().get("detail").asText()).contains("no persisted order");
    }

    @Test
    void anIdThatIsNotAUuidIs400() {
        Answer answer = api().send("GET", "/orders/12345", null, null);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("field").asText()).isEqualTo("id");
    }

    @Test
    void onlyGetReadsAnOrder() {
        Answer answer = api().send("DELETE", "/orders/" + UUID.randomUUID(), null, null);

        assertThat(answer.status()).isEqualTo(405);
        assertThat(answer.problem().get("detail").asText()).contains("use GET");
    }
}
