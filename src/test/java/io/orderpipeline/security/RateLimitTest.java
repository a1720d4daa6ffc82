package io.orderpipeline.security;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import io.orderpipeline.platform.security.ApiKeys;
import io.orderpipeline.support.Orders;
import io.orderpipeline.support.OrdersClient.Answer;
import io.orderpipeline.support.OrdersClient;
import io.orderpipeline.support.PipelineTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A token bucket per client: beyond it 429 JSON with Retry-After, nothing published, one client's flood not another's. */
class RateLimitTest extends PipelineTestSupport {

    private static final String ORDER = Orders.json("limited");
    private static final String[] FLOODING = ApiKeys.newKey("flooding");
    private static final String[] CALM = ApiKeys.newKey("calm");

    @Override
    protected void overrideProperties(Properties properties) {
        try {
            var keys = java.nio.file.Files.createTempFile(java.nio.file.Files.createDirectories(
                    java.nio.file.Path.of("target", "test-data")), "rate-keys", ".txt");
            java.nio.file.Files.writeString(keys, FLOODING[1] + "\n" + CALM[1] + "\n");
            properties.put("orders.http.api-keys-file", keys.toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        properties.put("orders.http.rate-limit.per-second", "2");
        properties.put("orders.http.rate-limit.burst", "5");
    }

    @Test
    void aClientBeyondItsBucketGets429AndNothingPublishedWhileAnotherClientIsServed() {
        long before = kafka().endOffsets(topic());
        OrdersClient flooding = api().withBearer(FLOODING[0]);
        List<Answer> answers = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < 30; i++) {
            answers.add(flooding.post(ORDER));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long accepted = answers.stream().filter(a -> a.status() == 200).count();
        List<Answer> refused = answers.stream().filter(a -> a.status() == 429).toList();
        assertThat(accepted + refused.size()).isEqualTo(30);
        // the burst of 5, and what refilled at 2 a second while the requests went out
        assertThat(accepted).isBetween(5L, 5L + (long) Math.ceil(2 * seconds));
        Answer first = refused.get(0);
        assertThat(Integer.parseInt(first.header("Retry-After"))).isBetween(1, 2);
        assertThat(first.problem().get("retry_after").asInt()).as("the header's seconds in the problem too")
                .isEqualTo(Integer.parseInt(first.header("Retry-After")));

        assertThat(api().withBearer(CALM[0]).post(ORDER).status()).as("another client's bucket").isEqualTo(200);
        assertThat(kafka().endOffsets(topic())).as("only the accepted orders").isEqualTo(before + (int) accepted + 1);
        assertThat(management().get("/observe/metrics").body())
                .containsPattern("orders_rate_limited_total\\{client=\"flooding\"[^}]*} " + refused.size() + "\\.0");

        await().pollDelay(Duration.ofMillis(600)).atMost(Duration.ofSeconds(5))
                .until(() -> flooding.post(ORDER).status() == 200);
    }
}
