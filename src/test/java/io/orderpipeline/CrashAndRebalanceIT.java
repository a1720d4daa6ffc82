package io.orderpipeline;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.orderpipeline.support.EmbeddedServices;
import io.orderpipeline.support.FaultReport;
import io.orderpipeline.support.JarProcess;
import io.orderpipeline.support.LoadGenerator;
import io.orderpipeline.support.OrdersDatabase;
import io.orderpipeline.support.ServicesProcess;
import io.orderpipeline.support.TopicReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pipeline processes killed with SIGKILL under load, the broker and database running on in their own `services`
 * process: every order answered with 200 is in PostgreSQL exactly once afterwards.
 */
class CrashAndRebalanceIT {

    private static final Duration STARTUP = Duration.ofSeconds(120);

    private static ServicesProcess services;
    private static String brokers;
    private static String jdbcUrl;

    @BeforeAll
    static void startServices() throws Exception {
        services = ServicesProcess.start("crash", STARTUP);
        brokers = services.brokers();
        jdbcUrl = services.jdbcUrl();
    }

    @AfterAll
    static void stopServices() throws Exception {
        services.close();
    }

    private static Map<String, String> pipeline(String name, int httpPort) {
        Map<String, String> env = services.pipelineEnv(name, httpPort);
        // a retry after a crash republishes the order in flight sooner (above the delivery timeout)
        env.put("ORDERS_IDEMPOTENCY_IN_FLIGHT_SECONDS", "6");
        return env;
    }

    private static java.util.function.Supplier<List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>>>
            topic(Map<String, String> env) {
        return () -> new TopicReader(brokers).readAll(env.get("ORDERS_KAFKA_TOPIC"));
    }

    private static java.util.function.LongSupplier deadLetters(Map<String, String> env) {
        return () -> new TopicReader(brokers).readAll(env.get("ORDERS_KAFKA_DLT_TOPIC")).size();
    }

    @Test
    void killingThePipelineMidLoadThreeTimesLosesNothing() throws Exception {
        int port = EmbeddedServices.freePort();
        Map<String, String> env = pipeline("crash", port);
        List<UUID> acknowledged;
        List<String> keys;
        Map<String, Long> outcomes;
        JarProcess pipeline = JarProcess.start("crash-pipeline-0", env).awaitOutput("is running", STARTUP);
        try (LoadGenerator load = new LoadGenerator("http://127.0.0.1:" + port, 4)) {
            for (int crash = 1; crash <= 3; crash++) {
                load.awaitAcknowledged(300, Duration.ofSeconds(120));
                pipeline.kill();
                pipeline = JarProcess.start("crash-pipeline-" + crash, env).awaitOutput("is running", STARTUP);
            }
            load.awaitAcknowledged(300, Duration.ofSeconds(120));
            acknowledged = load.stop();
            keys = load.keys();
            outcomes = load.outcomes();
            FaultReport.verify("pipeline killed (SIGKILL) 3 times under load", acknowledged, keys,
                    new OrdersDatabase(jdbcUrl), topic(env), deadLetters(env), outcomes);
        } finally {
            pipeline.close();
        }
        // no answer while no process listened, 503 while a restarted one was starting (from the moment its HTTP
        // server listens: never a 404 for a route that is about to start), 409 for a retry whose first attempt
        // died with the process, until it may publish the order again
        assertThat(outcomes.keySet()).isSubsetOf("200", "no answer", "503", "409");
    }

    @Test
    void aGracefulStopUnderLoadFinishesInFlightOrdersAndLosesNothing() throws Exception {
        int port = EmbeddedServices.freePort();
        Map<String, String> env = pipeline("graceful", port);
        List<UUID> acknowledged;
        List<String> keys;
        Map<String, Long> outcomes;
        OrdersDatabase db = new OrdersDatabase(jdbcUrl);
        try (JarProcess first = JarProcess.start("graceful-first", env).awaitOutput("is running", STARTUP);
                LoadGenerator load = new LoadGenerator("http://127.0.0.1:" + port, 4)) {
            load.awaitAcknowledged(500, Duration.ofSeconds(120));
            long started = System.nanoTime();
            assertThat(first.terminate(Duration.ofSeconds(60))).isEqualTo(143);
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .as("stops well within orders.shutdown-timeout-seconds").isLessThan(Duration.ofSeconds(30));
            assertThat(first.output()).contains("(order-pipeline) shutdown in");
            acknowledged = load.stop();
            keys = load.keys();
            outcomes = load.outcomes();
        }
        long storedBeforeRestart = db.stored(acknowledged).size();
        System.out.println("stored before the restart: " + storedBeforeRestart + " of " + acknowledged.size());
        try (JarProcess second = JarProcess.start("graceful-second", env).awaitOutput("is running", STARTUP)) {
            FaultReport.verify("graceful stop (SIGTERM) under load, then restart", acknowledged, keys, db,
                    topic(env), deadLetters(env), outcomes);
        }
        assertThat(outcomes).as("new requests are refused with 503 while the routes stop").containsKey("503");
    }

    @Test
    void aSinkKilledMidLoadHandsItsPartitionsToTheOtherOne() throws Exception {
        int port = EmbeddedServices.freePort();
        Map<String, String> env = pipeline("rebalance", port);
        List<UUID> acknowledged;
        List<String> keys;
        Map<String, Long> outcomes;
        try (JarProcess produce = JarProcess.start("rebalance-produce", env, "produce");
                JarProcess sinkA = JarProcess.start("rebalance-sink-a", env, "consume");
                JarProcess sinkB = JarProcess.start("rebalance-sink-b", env, "consume")) {
            produce.awaitOutput("is running", STARTUP);
            sinkA.awaitOutput("is running", STARTUP);
            sinkB.awaitOutput("is running", STARTUP);
            try (LoadGenerator load = new LoadGenerator("http://127.0.0.1:" + port, 4)) {
                load.awaitAcknowledged(500, Duration.ofSeconds(120));
                sinkB.kill();
                load.awaitAcknowledged(500, Duration.ofSeconds(120));
                acknowledged = load.stop();
                keys = load.keys();
                outcomes = load.outcomes();
            }
            FaultReport.verify("one of two sinks killed (SIGKILL) under load", acknowledged, keys,
                    new OrdersDatabase(jdbcUrl), topic(env), deadLetters(env), outcomes);
            assertThat(outcomes.keySet()).containsOnly("200");
            assertThat(sinkA.isAlive()).isTrue();
        }
    }
}
