package io.orderpipeline.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

import io.orderpipeline.support.OrdersClient.Answer;
import io.orderpipeline.support.PipelineTestSupport;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A route that may block runs on worker threads of the orders-workers profile; when all of them are busy and its queue
 * is full, a request is answered 503 with Retry-After at once instead of waiting without bound.
 */
class FullWorkerPoolTest extends PipelineTestSupport {

    private static final RouteThreadingTest.HeldStep HELD = new RouteThreadingTest.HeldStep();

    @Override
    protected void overrideProperties(Properties p) {
        p.put("camel.threadpool.config[orders-workers].pool-size", "1");
        p.put("camel.threadpool.config[orders-workers].max-pool-size", "1");
        p.put("camel.threadpool.config[orders-workers].max-queue-size", "1");
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("heldStep", HELD);
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        super.configure(configuration);
        configuration.addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:/probe/held").routeId("probe-held").bean("heldStep", "hold")
                        .setBody(constant("released"));
            }
        });
    }

    @Test
    void withTheWorkerBusyAndItsQueueFullRequestsAre503WithRetryAfter() throws Exception {
        HELD.close();
        List<Thread> clients = new ArrayList<>();
        List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
        try {
            // one worker, a queue of one: of five requests at once, one runs, one waits, three are refused
            for (int i = 0; i < 5; i++) {
                Thread client = new Thread(() -> answers.add(api().get("/probe/held")));
                client.start();
                clients.add(client);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> answers.size() == 3);
            assertThat(HELD.holding()).as("the running request, still held while the others were refused")
                    .isEqualTo(1);
        } finally {
            HELD.open();
        }
        for (Thread client : clients) {
            client.join(30_000);
        }
        List<Answer> refused = answers.subList(0, 3);
        assertThat(refused).allSatisfy(a -> {
            assertThat(a.status()).as(a.body()).isEqualTo(503);
            assertThat(a.header("Retry-After")).isEqualTo("1");
            assertThat(a.problem().get("status").asInt()).isEqualTo(503);
        });
        assertThat(answers.subList(3, 5)).as("the running and the queued request, once released")
                .allSatisfy(a -> assertThat(a.body()).isEqualTo("released"));
    }
}
