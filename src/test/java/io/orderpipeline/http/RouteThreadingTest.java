package io.orderpipeline.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.orderpipeline.platform.NonBlocking;
import io.orderpipeline.support.Orders;
import io.orderpipeline.support.OrdersClient.Answer;
import io.orderpipeline.support.PipelineTestSupport;
import io.orderpipeline.support.ShippedRoutes;
import io.orderpipeline.upstream.AckThreadExecutor;
import io.orderpipeline.upstream.NonBlockingHttpConsumer;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumerAware;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A route edit that adds a blocking step cannot stall the pipeline: the shipped routes, with orders-api edited as a
 * user would (a step after the Kafka send that holds its thread, standing for a lookup or a call out), keep taking
 * orders while earlier ones are held in it, and answer the lookup and the health check meanwhile. The step holds until
 * the test releases it, so what is proven does not depend on how fast the machine is. Routes whose steps cannot block run on
 * the Vert.x event loop, others on threads of their own.
 */
class RouteThreadingTest extends PipelineTestSupport {

    private static final Path ROUTES = routesWithABlockingStepAfterTheSend();
    /** Fewer than the orders-workers pool's threads: each held order holds one. */
    private static final int CLIENTS = 35;
    private static final HeldStep HELD = new HeldStep();
    private static final String ORDER = Orders.json("slow step");

    private static Path routesWithABlockingStepAfterTheSend() {
        try {
            Path dir = ShippedRoutes.copy("routes-blocking-");
            Path api = dir.resolve("orders-api.camel.yaml");
            String original = Files.readString(api);
            // right after the send, at the indentation of the step that follows it
            String after = original.lines().filter(l -> l.contains("# the broker has the order")).findFirst()
                    .orElse("(not found)") + "\n";
            int indent = after.indexOf('#');
            String edited = original.replace(after, """
                    # a user's edit: a step that holds its thread (a lookup or a call out)
                    - bean:
                        ref: heldStep
                        method: hold
                    """.indent(indent) + after);
            if (edited.equals(original)) {
                throw new IllegalStateException("orders-api.camel.yaml changed: the edit did not apply");
            }
            Files.writeString(api, edited);
            return dir.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void overrideProperties(Properties p) {
        p.put("camel.main.routes-include-pattern", "file:" + ROUTES + "/*.camel.yaml");
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
                from("platform-http:/probe/plain").routeId("probe-plain").setBody(simple("${threadName}"));
                from("platform-http:/probe/blocking").routeId("probe-blocking")
                        .delay(1).syncDelayed().setBody(simple("${threadName}"));
                // a condition is a step too: a bean not known to be non-blocking decides the branch
                from("platform-http:/probe/blocking-condition").routeId("probe-blocking-condition")
                        .choice().when(method(SlowCondition.class, "holds")).setBody(simple("${threadName}"))
                        .otherwise().setBody(constant("otherwise")).end();
            }
        });
    }

    @Test
    void aRouteRunsOnTheEventLoopOnlyWhenNoneOfItsStepsMayBlock() {
        assertThat(api().send("GET", "/probe/plain", null, null).body()).startsWith("vert.x-eventloop-thread");
        assertThat(api().send("GET", "/probe/blocking", null, null).body()).contains("http probe-blocking");
        assertThat(api().send("GET", "/probe/blocking-condition", null, null).body())
                .contains("http probe-blocking-condition");
        // lookups query PostgreSQL: never on the event loop
        assertThat(consumerOf("orders-lookup").isOnEventLoop()).isFalse();
        // the edit put a blocking step after the send: orders-api leaves the event loop (camel-kafka may continue a
        // route on the thread that sent, when the acknowledgement comes first), and its steps after the send leave
        // the acknowledgement thread
        assertThat(consumerOf("orders-api").isOnEventLoop()).isFalse();
        assertThat(context.getRegistry().findSingleByType(AckThreadExecutor.class).isHandingOff()).isTrue();
    }

    @Test
    void aBlockingStepAfterTheSendStallsNeitherOtherOrdersNorLookupsNorHealth() throws Exception {
        Answer first = api().post(ORDER);
        assertThat(first.status()).isEqualTo(200);
        String id = first.json().get("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> api().get("/orders/" + id).status() == 200);

        HELD.close();
        List<Thread> clients = new ArrayList<>();
        List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
        try {
            for (int i = 0; i < CLIENTS; i++) {
                Thread client = new Thread(() -> statuses.add(api().post(ORDER).status()));
                client.start();
                clients.add(client);
            }
            // every order passed the send while the earlier ones hold their threads in the edited step: none waits
            // behind another's blocking step (on the acknowledgement thread they would queue behind the first)
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(HELD.holding())
                    .as("orders held in the blocking step at once").isEqualTo(CLIENTS));
            // and, while all of them are still held, a lookup and the health check are answered
            assertThat(api().get("/orders/" + id).status()).as("GET /orders/{id} while orders are held")
                    .isEqualTo(200);
            assertThat(management().get("/observe/health").status()).as("/observe/health while orders are held")
                    .isEqualTo(200);
            assertThat(HELD.holding()).as("still held: the step was not released before the lookup")
                    .isEqualTo(CLIENTS);
        } finally {
            HELD.open();
        }
        for (Thread client : clients) {
            client.join(30_000);
        }
        assertThat(statuses).as("answers once released").hasSize(CLIENTS).containsOnly(200);
    }

    private NonBlockingHttpConsumer consumerOf(String routeId) {
        // platform-http's consumer wraps the engine's
        return (NonBlockingHttpConsumer) ((PlatformHttpConsumerAware) context.getRoute(routeId).getConsumer())
                .getPlatformHttpConsumer();
    }

    /** The edited step: holds its thread until the test opens it, counting the requests it holds meanwhile. */
    public static class HeldStep {
        private final AtomicInteger holding = new AtomicInteger();
        private volatile CountDownLatch open = new CountDownLatch(0);

        public void hold() throws InterruptedException {
            CountDownLatch gate = open;
            holding.incrementAndGet();
            try {
                if (!gate.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never released the step");
                }
            } finally {
                holding.decrementAndGet();
            }
        }

        int holding() {
            return holding.get();
        }

        void close() {
            open = new CountDownLatch(1);
        }

        void open() {
            open.countDown();
        }
    }

    /** A condition bean without {@link NonBlocking}: for all the engine knows, it may wait on I/O. */
    public static class SlowCondition {
        public boolean holds() {
            return true;
        }
    }
}
