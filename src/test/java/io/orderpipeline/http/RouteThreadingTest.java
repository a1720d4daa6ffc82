package io.orderpipeline.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.orderpipeline.kafka.AckThreadExecutor;
import io.orderpipeline.upstream.NonBlockingHttpConsumer;
import io.orderpipeline.support.OrdersClient;
import io.orderpipeline.support.OrdersClient.Answer;
import io.orderpipeline.support.PipelineTestSupport;
import io.orderpipeline.support.ShippedRoutes;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumerAware;
import org.apache.camel.main.MainConfigurationProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A route edit that adds a blocking step cannot stall the pipeline: the shipped routes, with orders-api edited as a
 * user would (a 200 ms blocking delay after the Kafka send, standing for a lookup or a call out), keep answering many
 * clients at once, and the lookup and the health check stay quick meanwhile. Routes whose steps cannot block run on
 * the Vert.x event loop, others on threads of their own.
 */
class RouteThreadingTest extends PipelineTestSupport {

    private static final Path ROUTES = routesWithABlockingStepAfterTheSend();
    private static final String ORDER = """
            {"src_currency": 1, "dst_currency": 2, "description": "slow step", "channel": 1}""";

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
                    # a user's edit: a 200 ms step that holds its thread
                    - delay:
                        constant: "200"
                        asyncDelayed: false
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
        // the shipped routes: orders are validated and handed to Kafka on the event loop, lookups query PostgreSQL
        assertThat(consumerOf("orders-api").isOnEventLoop()).isTrue();
        assertThat(consumerOf("orders-lookup").isOnEventLoop()).isFalse();
        // the edit put a blocking step after the send: its steps no longer run on the acknowledgement thread
        assertThat(context.getRegistry().findSingleByType(AckThreadExecutor.class).isHandingOff()).isTrue();
    }

    @Test
    void aBlockingStepAfterTheSendStallsNeitherOtherOrdersNorLookupsNorHealth() throws Exception {
        Answer first = api().post(ORDER);
        assertThat(first.status()).isEqualTo(200);
        String id = first.json().get("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> api().get("/orders/" + id).status() == 200);

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < 35; i++) {
            Thread client = new Thread(() -> {
                OrdersClient orders = api();
                while (running.get()) {
                    if (orders.post(ORDER).status() == 200) {
                        accepted.incrementAndGet();
                    } else {
                        other.incrementAndGet();
                    }
                }
            });
            client.start();
            clients.add(client);
        }
        AtomicLong slowestLookup = new AtomicLong();
        AtomicLong slowestHealth = new AtomicLong();
        Thread.sleep(1000); // the clients are all waiting on the slow step now
        int before = accepted.get();
        long start = System.nanoTime();
        while (System.nanoTime() - start < Duration.ofSeconds(5).toNanos()) {
            slowestLookup.accumulateAndGet(millis(() -> assertThat(api().get("/orders/" + id).status())
                    .isEqualTo(200)), Math::max);
            slowestHealth.accumulateAndGet(millis(() -> assertThat(management().get("/observe/health").status())
                    .isEqualTo(200)), Math::max);
            Thread.sleep(100);
        }
        double perSecond = (accepted.get() - before) / ((System.nanoTime() - start) / 1e9);
        running.set(false);
        for (Thread client : clients) {
            client.join(10_000);
        }

        System.out.printf("blocking step after the send: %.0f orders/s at 35 clients, slowest lookup %d ms,"
                + " slowest health %d ms%n", perSecond, slowestLookup.get(), slowestHealth.get());
        assertThat(other.get()).as("answers other than 200").isZero();
        assertThat(perSecond).as("orders a second with a 200 ms step, 35 clients").isGreaterThanOrEqualTo(50);
        assertThat(slowestLookup.get()).as("slowest GET /orders/{id}, ms").isLessThan(500);
        assertThat(slowestHealth.get()).as("slowest /observe/health, ms").isLessThan(500);
    }

    private static long millis(Runnable call) {
        long start = System.nanoTime();
        call.run();
        return (System.nanoTime() - start) / 1_000_000;
    }

    private NonBlockingHttpConsumer consumerOf(String routeId) {
        // platform-http's consumer wraps the engine's
        return (NonBlockingHttpConsumer) ((PlatformHttpConsumerAware) context.getRoute(routeId).getConsumer())
                .getPlatformHttpConsumer();
    }

    /** A condition bean without {@link NonBlocking}: for all the engine knows, it may wait on I/O. */
    public static class SlowCondition {
        public boolean holds() {
            return true;
        }
    }
}
