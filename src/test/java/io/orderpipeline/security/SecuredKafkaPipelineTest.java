package io.orderpipeline.security;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import io.orderpipeline.support.Orders;
import io.orderpipeline.support.OrdersClient.Answer;
import io.orderpipeline.support.PipelineTestSupport;
import io.orderpipeline.support.SecuredKafka;
import io.orderpipeline.support.TopicReader;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pipeline against a secured broker: topics are created, orders are published, stored and dead-lettered, and the
 * consumer lag is read, all with the one set of orders.kafka.* security settings.
 */
abstract class SecuredKafkaPipelineTest extends PipelineTestSupport {

    private static final String ORDER = Orders.json("secured broker");

    protected abstract Properties security();

    @Override
    protected void overrideProperties(Properties properties) {
        properties.putAll(security());
    }

    @Test
    void ordersArePublishedStoredAndDeadLetteredAndTheLagIsRead() {
        TopicReader reader = new TopicReader(SecuredKafka.get().plainBootstrap());
        Answer answer = api().post(ORDER);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        UUID id = Orders.id(answer);
        database().awaitStored(id);

        reader.send(topic(), "not-an-order", "{".getBytes(StandardCharsets.UTF_8), Map.of());
        await().atMost(Duration.ofSeconds(30)).until(() -> reader.readAll(deadLetterTopic()).stream()
                .anyMatch(r -> "not-an-order".equals(r.key())));

        // the consumer-lag meter's admin client reaches the broker too (NaN while it cannot)
        await().atMost(Duration.ofSeconds(30)).until(() -> management().get("/observe/metrics").body().lines()
                .anyMatch(l -> l.startsWith("orders_consumer_lag") && !l.endsWith("NaN")));
    }
}
