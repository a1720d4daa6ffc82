package io.orderpipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.orderpipeline.support.Orders;
import io.orderpipeline.support.EmbeddedServices;
import io.orderpipeline.support.JarProcess;
import io.orderpipeline.support.OrdersClient;
import io.orderpipeline.support.OrdersClient.Answer;
import io.orderpipeline.support.OrdersDatabase;
import io.orderpipeline.support.ServicesProcess;
import io.orderpipeline.support.TopicReader;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two API instances (the packaged jar's {@code produce}, twice) on one broker and one database, with a sink of its
 * own: retries of one Idempotency-Key spread over both instances, at once and one after the other, make one order.
 */
class IdempotencyKeyIT {

    private static final Duration STARTUP = Duration.ofSeconds(180);
    private static final String ORDER = Orders.json("two instances");

    @Test
    void oneKeyAcrossTwoInstancesMakesOneOrder() throws Exception {
        try (ServicesProcess services = ServicesProcess.start("idempotency", STARTUP)) {
            Map<String, String> first = services.pipelineEnv("idempotency", EmbeddedServices.freePort());
            Map<String, String> second = new java.util.HashMap<>(first);
            second.put("ORDERS_HTTP_PORT", String.valueOf(EmbeddedServices.freePort()));
            try (JarProcess sink = JarProcess.start("idempotency-consume", first, "consume");
                    JarProcess a = JarProcess.start("idempotency-produce-a", first, "produce");
                    JarProcess b = JarProcess.start("idempotency-produce-b", second, "produce")) {
                sink.awaitOutput("is running", STARTUP);
                a.awaitOutput("is running", STARTUP);
                b.awaitOutput("is running", STARTUP);
                List<OrdersClient> instances = List.of(
                        new OrdersClient("http://127.0.0.1:" + first.get("ORDERS_HTTP_PORT")),
                        new OrdersClient("http://127.0.0.1:" + second.get("ORDERS_HTTP_PORT")));

                List<String> keys = new ArrayList<>();
                Set<String> ids = new HashSet<>();
                ExecutorService pool = Executors.newFixedThreadPool(8);
                try {
                    for (int k = 0; k < 20; k++) {
                        String key = "two-instances-" + k + "-" + UUID.randomUUID();
                        keys.add(key);
                        List<Callable<Answer>> attempts = new ArrayList<>();
                        for (int i = 0; i < 6; i++) {
                            OrdersClient instance = instances.get(i % 2).withHeaders("Idempotency-Key", key);
                            attempts.add(() -> instance.post(ORDER));
                        }
                        Set<String> idsOfKey = new HashSet<>();
                        for (Future<Answer> attempt : pool.invokeAll(attempts)) {
                            Answer answer = attempt.get();
                            assertThat(answer.status()).as(answer.body()).isIn(200, 409);
                            if (answer.status() == 200) {
                                idsOfKey.add(answer.json().get("id").asText());
                            }
                        }
                        // and once more on each instance, after the first answers
                        for (OrdersClient instance : instances) {
                            Answer late = instance.withHeaders("Idempotency-Key", key).post(ORDER);
                            assertThat(late.status()).as(late.body()).isEqualTo(200);
                            idsOfKey.add(late.json().get("id").asText());
                        }
                        assertThat(idsOfKey).as("orders answered for key " + key).hasSize(1);
                        ids.addAll(idsOfKey);
                    }
                } finally {
                    pool.shutdown();
                }

                assertThat(ids).hasSize(keys.size());
                OrdersDatabase db = new OrdersDatabase(services.jdbcUrl());
                List<UUID> uuids = ids.stream().map(UUID::fromString).toList();
                db.awaitStored(uuids);
                long records = new TopicReader(services.brokers()).readAll(first.get("ORDERS_KAFKA_TOPIC")).size();
                assertThat(records).as("records published for %d keys", keys.size()).isEqualTo(keys.size());
            }
        }
    }
}
