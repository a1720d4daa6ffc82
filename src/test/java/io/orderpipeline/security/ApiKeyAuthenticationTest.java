package io.orderpipeline.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import io.orderpipeline.platform.security.ApiKeys;
import io.orderpipeline.support.Orders;
import io.orderpipeline.support.OrdersClient.Answer;
import io.orderpipeline.support.OrdersClient;
import io.orderpipeline.support.PipelineTestSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Per-client API keys: refused without one, the client id travels with the order, the file is re-read while running. */
class ApiKeyAuthenticationTest extends PipelineTestSupport {

    private static final String ORDER = Orders.json("keyed");
    private static final Path KEYS = keysFile();
    private static final String[] SHOP = ApiKeys.newKey("shop-1");
    private static final String[] APP = ApiKeys.newKey("mobile-app");
    private static final String[] OPS = ApiKeys.newKey("support-desk");

    private static Path keysFile() {
        try {
            return Files.createTempFile(Files.createDirectories(Path.of("target", "test-data")), "api-keys", ".txt");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void overrideProperties(Properties properties) {
        write("# clients of the order API\n" + SHOP[1] + "\n\n" + APP[1] + "\n" + OPS[1] + "\n");
        properties.put("orders.http.api-keys-file", KEYS.toString());
        properties.put("orders.http.operator-clients", "support-desk, auditor");
    }

    private static void write(String content) {
        try {
            Files.writeString(KEYS, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aRequestWithoutAValidKeyGets401JsonAndPublishesNothing() {
        long before = kafka().endOffsets(topic());
        OrdersClient[] refused = {api(), api().withBearer("not-a-key"), api().withBearer(SHOP[1]),
                api().withHeaders("Authorization", "Basic " + SHOP[0]), api().withBearer(SHOP[0] + "x")};
        for (OrdersClient client : refused) {
            Answer answer = client.post(ORDER);
            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.problem().get("detail").asText()).isNotBlank();
            assertThat(answer.header("WWW-Authenticate")).startsWith("Bearer");
        }
        Answer lookup = api().get("/orders/" + UUID.randomUUID());
        assertThat(lookup.status()).as("GET needs a key too").isEqualTo(401);

        assertThat(kafka().endOffsets(topic())).as("nothing published").isEqualTo(before);
    }

    @Test
    void anIdempotencyKeyBelongsToTheClientThatSentIt() {
        String key = "per-client-" + UUID.randomUUID();
        Answer shop = api().withHeaders("Authorization", "Bearer " + SHOP[0], "Idempotency-Key", key).post(ORDER);
        Answer app = api().withHeaders("Authorization", "Bearer " + APP[0], "Idempotency-Key", key).post(ORDER);
        Answer shopAgain = api().withHeaders("Authorization", "Bearer " + SHOP[0], "Idempotency-Key", key).post(ORDER);

        // two error bodies would compare equal too: each answer must be an order
        assertThat(java.util.List.of(shop.status(), app.status(), shopAgain.status())).as(shop.body())
                .containsExactly(200, 200, 200);
        assertThat(app.json().get("id")).as("another client's key is not this one's").isNotEqualTo(shop.json().get("id"));
        assertThat(app.json().get("client_id").asText()).isEqualTo("mobile-app");
        assertThat(shopAgain.json()).isEqualTo(shop.json());
    }

    @Test
    void theClientIdTravelsWithTheOrderToTheRecordTheRowAndTheLookup() {
        Answer answer = api().withBearer(SHOP[0]).post(ORDER);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        UUID id = Orders.id(answer);
        assertThat(answer.json().get("client_id").asText()).isEqualTo("shop-1");

        ConsumerRecord<String, byte[]> record = kafka().readAll(topic()).stream()
                .filter(r -> r.key().equals(id.toString())).findFirst().orElseThrow();
        assertThat(new String(record.headers().lastHeader("client_id").value(), StandardCharsets.UTF_8))
                .isEqualTo("shop-1");
        database().awaitStored(id);
        assertThat(database().row(id).orElseThrow().get("client_id")).isEqualTo("shop-1");

        Answer lookup = api().withBearer(SHOP[0]).get("/orders/" + id);
        assertThat(lookup.status()).isEqualTo(200);
        assertThat(lookup.json().get("client_id").asText()).isEqualTo("shop-1");
    }

    @Test
    void everyRecordOfABatchNamesTheClientThatSentIt() {
        Answer answer = api().withBearer(SHOP[0]).send("POST", "/orders/batch", "application/json",
                ("[" + ORDER + ", " + ORDER + "]").getBytes(StandardCharsets.UTF_8));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        List<String> ids = new java.util.ArrayList<>();
        answer.json().get("results").forEach(result -> ids.add(result.get("id").asText()));

        List<ConsumerRecord<String, byte[]>> records = kafka().readAll(topic()).stream()
                .filter(r -> ids.contains(r.key())).toList();
        assertThat(records).hasSize(2);
        for (ConsumerRecord<String, byte[]> record : records) {
            assertThat(record.headers().lastHeader("client_id")).as("the client_id header of " + record.key())
                    .isNotNull();
            assertThat(new String(record.headers().lastHeader("client_id").value(), StandardCharsets.UTF_8))
                    .isEqualTo("shop-1");
        }
    }

    @Test
    void editsOfTheKeysFileTakeEffectWithoutARestartAndABrokenEditKeepsTheLastGoodKeys() {
        String[] added = ApiKeys.newKey("new-client");
        try {
            write(SHOP[1] + "\n" + added[1] + "\n");
            await().atMost(Duration.ofSeconds(5)).until(() -> api().withBearer(added[0]).post(ORDER).status() == 200);
            assertThat(api().withBearer(APP[0]).post(ORDER).status()).as("a removed key").isEqualTo(401);

            write(SHOP[1] + "\nthis line is not client:hash\n");
            // the broken file is read within a second; the keys before it stay
            await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> api().withBearer(added[0]).post(ORDER).status() == 200);
            assertThat(api().withBearer(SHOP[0]).post(ORDER).status()).isEqualTo(200);
        } finally {
            write(SHOP[1] + "\n" + APP[1] + "\n" + OPS[1] + "\n");
            await().atMost(Duration.ofSeconds(5)).until(() -> api().withBearer(APP[0]).post(ORDER).status() == 200);
        }
    }

    @Test
    void aClientReadsOnlyItsOwnOrdersAndDeadLettersWhileAnOperatorReadsAll() {
        Answer posted = api().withBearer(SHOP[0]).post(ORDER);
        String id = posted.json().get("id").asText();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> api().withBearer(SHOP[0]).get("/orders/" + id).status() == 200);
        // an order of shop-1 the sink cannot store: valid by the record contract, but the time it names in UTC is
        // beyond PostgreSQL's format (year 10000)
        UUID refused = UUID.randomUUID();
        kafka().send(topic(), refused.toString(), ("{\"id\": \"" + refused + "\", \"src_currency\": 1,"
                + " \"dst_currency\": 2, \"description\": \"far future\", \"channel\": 1,"
                + " \"created_at\": \"9999-12-31T23:59:59-18:00\", \"client_id\": \"shop-1\"}")
                .getBytes(StandardCharsets.UTF_8), java.util.Map.of());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> api().withBearer(SHOP[0]).get("/orders/" + refused).status() == 200);

        Answer unknown = api().withBearer(APP[0]).get("/orders/" + UUID.randomUUID());
        for (String other : List.of(id, refused.toString())) {
            Answer byAnotherClient = api().withBearer(APP[0]).get("/orders/" + other);
            assertThat(byAnotherClient.status()).as("another client's order").isEqualTo(404);
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(byAnotherClient.problem().get("detail")).as("answered as an unknown id")
                    .isEqualTo(unknown.problem().get("detail"));
            assertThat(byAnotherClient.body()).doesNotContain("shop-1");
        }
        Answer stored = api().withBearer(OPS[0]).get("/orders/" + id);
        Answer deadLettered = api().withBearer(OPS[0]).get("/orders/" + refused);
        assertThat(stored.status()).as("an operator").isEqualTo(200);
        assertThat(stored.json().get("client_id").asText()).isEqualTo("shop-1");
        assertThat(deadLettered.status()).isEqualTo(200);
        assertThat(deadLettered.json().get("status").asText()).isEqualTo("dead_lettered");
        assertThat(api().withBearer(SHOP[0]).get("/orders/" + refused).json().get("status").asText())
                .isEqualTo("dead_lettered");
    }

    @Test
    void aNewKeyIsRandomAndOnlyItsHashIsOnTheLine() {
        String[] one = ApiKeys.newKey("c");
        String[] two = ApiKeys.newKey("c");
        assertThat(one[0]).hasSize(43).isNotEqualTo(two[0]);
        assertThat(one[1]).matches("c:[0-9a-f]{64}").doesNotContain(one[0]);
    }
}
