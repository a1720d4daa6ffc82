package io.orderpipeline.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.orderpipeline.support.Orders;
import io.orderpipeline.support.OrdersClient.Answer;
import io.orderpipeline.support.PipelineTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Orders in flight are capped: beyond orders.http.max-in-flight a POST gets 503 at once and nothing is published. */
class InFlightLimitTest extends PipelineTestSupport {

    private static final String ORDER = Orders.json("in flight");

    @Override
    protected void overrideProperties(Properties properties) {
        properties.put("orders.http.max-in-flight", "2");
        // each record waits 1 s in the producer for others: the first orders stay in flight that long
        properties.put("orders.kafka.linger-ms", "1000");
    }

    @Test
    void postsBeyondTheCapAreRefusedAtOnceWhileTheOnesInFlightComplete() throws Exception {
        long before = kafka().endOffsets(topic());
        ExecutorService clients = Executors.newFixedThreadPool(6);
        List<Future<Answer>> posts = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                posts.add(clients.submit(() -> api().post(ORDER)));
            }
            List<Answer> answers = new ArrayList<>();
            for (Future<Answer> post : posts) {
                answers.add(post.get());
            }
            List<Answer> refused = answers.stream().filter(a -> a.status() == 503).toList();
            assertThat(answers.stream().filter(a -> a.status() == 200)).hasSize(2);
            assertThat(refused).hasSize(4).allSatisfy(a -> {
                assertThat(a.problem().get("detail").asText()).contains("too many orders in flight");
                assertThat(a.header("Retry-After")).isEqualTo("1");
            });
        } finally {
            clients.shutdownNow();
        }
        assertThat(kafka().endOffsets(topic())).as("only the two accepted").isEqualTo(before + 2);
        assertThat(api().post(ORDER).status()).as("the cap frees up once they are answered").isEqualTo(200);
    }
}
