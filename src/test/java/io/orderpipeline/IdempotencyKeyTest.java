package io.orderpipeline;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderpipeline.support.OrdersClient.Answer;
import io.orderpipeline.support.OrdersClient;
import io.orderpipeline.support.PipelineTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** POST /orders and POST /orders/batch with an Idempotency-Key: a retry gets the first orders and publishes nothing new. */
class IdempotencyKeyTest extends PipelineTestSupport {

    private static final String ORDER = """
            {"src_currency": 840, "dst_currency": 978, "description": "once only", "channel": 21}""";

    @Test
    void aRetryWithTheSameKeyGetsTheSameOrderAndPublishesNothing() {
        OrdersClient client = api().withHeaders("Idempotency-Key", "retry-" + UUID.randomUUID());
        Answer first = client.post(ORDER);
        Answer retry = client.post(ORDER.replace(", ", ",  ")); // the same order, written differently

        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(retry.status()).as(retry.body()).isEqualTo(200);
        assertThat(retry.json()).isEqualTo(first.json());
        String id = first.json().get("id").asText();
        database().awaitStored(UUID.fromString(id));
        assertThat(recordsFor(id)).as("records published for the order").isEqualTo(1);

        Answer other = api().post(ORDER);
        assertThat(other.json().get("id").asText()).as("without the key, a new order").isNotEqualTo(id);
    }

    @Test
    void aKeyReachesTheStoreAsTheTextTheClientSent() {
        // a value written into a bean call's parameters would be read as an expression: "null" as null (a 500),
        // quotes taken off (two keys as one)
        Answer first = api().withHeaders("Idempotency-Key", "null").post(ORDER);
        Answer retry = api().withHeaders("Idempotency-Key", "null").post(ORDER);
        assertThat(List.of(first.status(), retry.status())).as(first.body()).containsExactly(200, 200);
        assertThat(retry.json().get("id")).isEqualTo(first.json().get("id"));

        String key = "quoted-" + UUID.randomUUID();
        Answer quoted = api().withHeaders("Idempotency-Key", "'" + key + "'").post(ORDER);
        Answer plain = api().withHeaders("Idempotency-Key", key).post(ORDER);
        assertThat(List.of(quoted.status(), plain.status())).containsExactly(200, 200);
        assertThat(plain.json().get("id")).as("'key' and key are two keys").isNotEqualTo(quoted.json().get("id"));

        // the batch route binds the key the same way: "null" is the key in use above, for another request
        Answer batch = postBatch(api().withHeaders("Idempotency-Key", "null"), "[" + ORDER + "]");
        assertThat(batch.status()).as(batch.body()).isEqualTo(422);
        assertThat(batch.json().get("field").asText()).isEqualTo("Idempotency-Key");
    }

    @Test
    void anotherOrderUnderAKeyInUseIs422AndPublishesNothing() {
        OrdersClient client = api().withHeaders("Idempotency-Key", "reused-" + UUID.randomUUID());
        assertThat(client.post(ORDER).status()).isEqualTo(200);
        long before = kafka().endOffsets(topic());

        Answer other = client.post(ORDER.replace("once only", "something else"));

        assertThat(other.status()).isEqualTo(422);
        assertThat(other.json().get("field").asText()).isEqualTo("Idempotency-Key");
        assertThat(kafka().endOffsets(topic())).isEqualTo(before);
    }

    @Test
    void keysAreScopedPerClientWhereNoneIsAuthenticatedOneScope() {
        String key = "shared-" + UUID.randomUUID();
        Answer a = api().withHeaders("Idempotency-Key", key).post(ORDER);
        Answer b = api().withHeaders("Idempotency-Key", key).post(ORDER);
        // two error bodies would compare equal too (both without an id): the answers must be orders
        assertThat(List.of(a.status(), b.status())).as(a.body()).containsExactly(200, 200);
        assertThat(b.json().get("id")).isEqualTo(a.json().get("id"));
    }

    @Test
    void aKeyThatIsNotOneTo255VisibleAsciiCharactersIs400() {
        for (String bad : List.of("x".repeat(256), "with space", "")) {
            Answer answer = api().withHeaders("Idempotency-Key", bad).post(ORDER);
            assertThat(answer.status()).as(bad).isEqualTo(400);
            assertThat(answer.json().get("field").asText()).isEqualTo("Idempotency-Key");
        }
    }

    @Test
    void concurrentRetriesMakeOneOrder() throws Exception {
        OrdersClient client = api().withHeaders("Idempotency-Key", "race-" + UUID.randomUUID());
        Set<String> ids = new java.util.HashSet<>();
        for (Answer answer : acceptedOfConcurrent(8, () -> client.post(ORDER))) {
            ids.add(answer.json().get("id").asText());
        }
        assertThat(ids).hasSize(1);
        String id = ids.iterator().next();
        assertThat(recordsFor(id)).isEqualTo(1);
        // once acknowledged, every later retry is answered with it
        assertThat(client.post(ORDER).json().get("id").asText()).isEqualTo(id);
    }

    @Test
    void aCrashBetweenThePublishAndTheAnswerEndsAsOneOrderForItsKey() throws Exception {
        // as if an instance crashed between its claim and the broker's answer an hour ago
        String key = "crashed-" + UUID.randomUUID();
        UUID id = UUID.randomUUID();
        String stored = """
                {"id":"%s","src_currency":840,"dst_currency":978,"description":"once only","channel":21,\
                "created_at":"2026-11-30T10:00:00.000001Z"}""".formatted(id);
        // the same content's hash, from a request under another key
        String probeKey = "probe-" + UUID.randomUUID();
        assertThat(api().withHeaders("Idempotency-Key", probeKey).post(ORDER).status()).isEqualTo(200);
        try (Connection c = DriverManager.getConnection(SERVICES.jdbcUrl(), "orders", "orders");
                PreparedStatement insert = c.prepareStatement("""
                        INSERT INTO idempotency_keys (client_id, idempotency_key, request_hash, order_json, claim,
                                                      claimed_at, expires_at)
                        SELECT '', ?, request_hash, ?, gen_random_uuid(), now() - interval '1 hour',
                               now() + interval '1 hour'
                        FROM idempotency_keys WHERE idempotency_key = ?""")) {
            insert.setString(1, key);
            insert.setString(2, stored);
            insert.setString(3, probeKey);
            assertThat(insert.executeUpdate()).isEqualTo(1);
        }

        // ... after its publish reached the broker
        kafka().send(topic(), id.toString(), stored.getBytes(java.nio.charset.StandardCharsets.UTF_8), java.util.Map.of());

        Answer retry = api().withHeaders("Idempotency-Key", key).post(ORDER);

        assertThat(retry.status()).as(retry.body()).isEqualTo(200);
        JsonNode order = retry.json();
        assertThat(order.get("id").asText()).isEqualTo(id.toString());
        assertThat(order.get("created_at").asText()).isEqualTo("2026-11-30T10:00:00.000001Z");
        await().atMost(Duration.ofSeconds(30)).until(() -> recordsFor(id.toString()) == 2);
        database().awaitStored(id);
        // published twice (the lost attempt and the retry), one order
        assertThat(database().isStored(id)).isTrue();
        assertThat(api().withHeaders("Idempotency-Key", key).post(ORDER).json().get("id").asText())
                .isEqualTo(id.toString());
    }

    @Test
    void aRetriedBatchGetsTheFirstBatchsOrdersAndPublishesNothing() {
        OrdersClient client = api().withHeaders("Idempotency-Key", "batch-" + UUID.randomUUID());
        String batch = "[" + ORDER + ", {\"channel\": 5}, " + ORDER.replace("once only", "second") + "]";

        Answer first = postBatch(client, batch);
        Answer retry = postBatch(client, batch.replace(", ", ",  ")); // the same items, written differently

        assertThat(first.status()).as(first.body()).isEqualTo(207);
        assertThat(retry.status()).as(retry.body()).isEqualTo(207);
        assertThat(retry.json()).isEqualTo(first.json());
        JsonNode results = first.json().get("results");
        for (int i : new int[] {0, 2}) {
            String id = results.get(i).get("id").asText();
            assertThat(recordsFor(id)).as("records published for item " + i).isEqualTo(1);
            database().awaitStored(UUID.fromString(id));
        }
        assertThat(results.get(1).get("status").asInt()).isEqualTo(400);

        Answer other = postBatch(client, "[" + ORDER + "]");
        assertThat(other.status()).as("other items under the key").isEqualTo(422);
        assertThat(other.json().get("field").asText()).isEqualTo("Idempotency-Key");
        Answer unkeyed = postBatch(api(), batch);
        assertThat(unkeyed.json().get("results").get(0).get("id").asText()).as("without the key, new orders")
                .isNotEqualTo(results.get(0).get("id").asText());
    }

    @Test
    void concurrentBatchRetriesMakeOneSetOfOrders() throws Exception {
        OrdersClient client = api().withHeaders("Idempotency-Key", "batch-race-" + UUID.randomUUID());
        String batch = "[" + ORDER + ", " + ORDER.replace("once only", "twice") + "]";
        Set<String> ids = new java.util.HashSet<>();
        for (Answer answer : acceptedOfConcurrent(6, () -> postBatch(client, batch))) {
            answer.json().get("results").forEach(result -> ids.add(result.get("id").asText()));
        }
        assertThat(ids).hasSize(2);
        for (String id : ids) {
            assertThat(recordsFor(id)).as("records for " + id).isEqualTo(1);
        }
    }

    /**
     * Sends the same request from {@code count} threads at once and returns the answers that were 200; every other
     * answer must be 409 with a Retry-After (its key in flight).
     */
    private static List<Answer> acceptedOfConcurrent(int count, Callable<Answer> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        List<Future<Answer>> answers;
        try {
            answers = pool.invokeAll(java.util.Collections.nCopies(count, request));
        } finally {
            pool.shutdown();
        }
        List<Answer> accepted = new java.util.ArrayList<>();
        for (Future<Answer> future : answers) {
            Answer answer = future.get();
            if (answer.status() == 200) {
                accepted.add(answer);
            } else {
                assertThat(answer.status()).as(answer.body()).isEqualTo(409);
                assertThat(answer.header("Retry-After")).isNotBlank();
                assertThat(answer.problem().get("retry_after").asText()).isEqualTo(answer.header("Retry-After"));
                assertThat(answer.problem().get("field").asText()).isEqualTo("Idempotency-Key");
            }
        }
        return accepted;
    }

    private static Answer postBatch(OrdersClient client, String json) {
        return client.send("POST", "/orders/batch", "application/json",
                json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private long recordsFor(String id) {
        return kafka().readAll(topic()).stream().filter(r -> id.equals(r.key())).count();
    }
}
