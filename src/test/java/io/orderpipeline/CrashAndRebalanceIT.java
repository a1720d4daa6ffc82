package io.orderpipeline;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.orderpipeline.support.ConsumerGroup;
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
        // a killed sink's partitions move sooner (the broker's least session timeout)
        env.put("ORDERS_SINK_SESSION_TIMEOUT_MS", "6000");
        env.put("ORDERS_SINK_HEARTBEAT_INTERVAL_MS", "2000");
        return env;
    }

    @Test
    void killingThePipelineMidLoadThreeTimesLosesNothing() throws Exception {
        int port = EmbeddedServices.freePort();
        Map<String, String> env = pipeline("crash", port);
        FaultReport.Figures figures;
        JarProcess pipeline = JarProcess.start("crash-pipeline-0", env).awaitOutput("is running", STARTUP);
        try (LoadGenerator load = new LoadGenerator("http://127.0.0.1:" + port, 4)) {
            for (int crash = 1; crash <= 3; crash++) {
                load.awaitAcknowledged(300, Duration.ofSeconds(120));
                load.fault(); // the instant before the kill: what is in flight then is cut off
                pipeline.kill();
                pipeline = JarProcess.start("crash-pipeline-" + crash, env).awaitOutput("is running", STARTUP);
                load.recovered();
            }
            load.awaitAcknowledged(300, Duration.ofSeconds(120));
            load.stop();
            figures = FaultReport.verify("pipeline killed (SIGKILL) 3 times under load", load.result(),
                    services.pipeline(env));
        } finally {
            pipeline.close();
        }
        assertThat(figures.phases().leastInFlight()).as("requests in flight at every kill").isPositive();
        assertThat(figures.phases().after()).as("orders acknowledged after each restart").isPositive();
        // no answer while no process listened, 503 while a restarted one was starting (from the moment its HTTP
        // server listens: never a 404 for a route that is about to start), 409 for a retry whose first attempt
        // died with the process, until it may publish the order again
        assertThat(figures.outcomes().keySet()).isSubsetOf("200", "no answer", "503", "409");
    }

    @Test
    void aGracefulStopUnderLoadFinishesInFlightOrdersAndLosesNothing() throws Exception {
        int port = EmbeddedServices.freePort();
        Map<String, String> env = pipeline("graceful", port);
        LoadGenerator.Result result;
        OrdersDatabase db = new OrdersDatabase(jdbcUrl);
        ConsumerGroup group = new ConsumerGroup(brokers, env.get("ORDERS_KAFKA_CONSUMER_GROUP"),
                env.get("ORDERS_KAFKA_TOPIC"));
        try (JarProcess first = JarProcess.start("graceful-first", env).awaitOutput("is running", STARTUP);
                LoadGenerator load = new LoadGenerator("http://127.0.0.1:" + port, 4)) {
            load.awaitAcknowledged(500, Duration.ofSeconds(120));
            long started = System.nanoTime();
            load.fault();
            first.signal("TERM");
            assertThat(first.awaitExit(Duration.ofSeconds(60))).isEqualTo(143);
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .as("stops well within orders.shutdown-timeout-seconds").isLessThan(Duration.ofSeconds(30));
            assertThat(first.output()).contains("(order-pipeline) shutdown in");
            load.stop();
            result = load.result();
        }
        // what the stopped process stored, it committed: no record past the group's committed offsets is in the table
        // (an order republished by a retry may have a copy on each side: it counts as committed)
        Map<Integer, Long> committed = group.committed();
        Map<Boolean, Set<UUID>> byCommitted = new TopicReader(brokers).readAll(env.get("ORDERS_KAFKA_TOPIC"))
                .stream().collect(Collectors.partitioningBy(
                        r -> r.offset() < committed.getOrDefault(r.partition(), 0L),
                        Collectors.mapping(r -> UUID.fromString(r.key()), Collectors.toSet())));
        List<UUID> uncommitted = byCommitted.get(false).stream().filter(id -> !byCommitted.get(true).contains(id))
                .toList();
        System.out.println("at the stop: " + db.stored(result.acknowledged()).size() + " of "
                + result.acknowledged().size() + " stored, " + uncommitted.size() + " records not committed");
        assertThat(db.stored(uncommitted)).as("stored by the stopped process but not committed").isEmpty();
        FaultReport.Figures figures;
        try (JarProcess second = JarProcess.start("graceful-second", env).awaitOutput("is running", STARTUP)) {
            figures = FaultReport.verify("graceful stop (SIGTERM) under load, then restart", result,
                    services.pipeline(env));
        }
        assertThat(figures.phases().leastInFlight()).as("requests in flight when SIGTERM came").isPositive();
        // each of them answered before the process ended: 200, or 503 for one that reached a route already stopping
        assertThat(figures.phases().struckOutcomes()).as("requests in flight at SIGTERM that got no answer")
                .doesNotContainKey("no answer");
        assertThat(figures.outcomes()).as("new requests are refused with 503 while the routes stop").containsKey("503");
    }

    @Test
    void aSinkKilledMidLoadHandsItsPartitionsToTheOtherOne() throws Exception {
        int port = EmbeddedServices.freePort();
        Map<String, String> env = pipeline("rebalance", port);
        ConsumerGroup group = new ConsumerGroup(brokers, env.get("ORDERS_KAFKA_CONSUMER_GROUP"),
                env.get("ORDERS_KAFKA_TOPIC"));
        int consumersPerSink = 2; // orders.sink.consumers
        LoadGenerator.Result result;
        Map<String, Set<Integer>> before;
        try (JarProcess produce = JarProcess.start("rebalance-produce", env, "produce");
                JarProcess sinkA = JarProcess.start("rebalance-sink-a", env, "consume");
                JarProcess sinkB = JarProcess.start("rebalance-sink-b", env, "consume")) {
            produce.awaitOutput("is running", STARTUP);
            sinkA.awaitOutput("is running", STARTUP);
            sinkB.awaitOutput("is running", STARTUP);
            try (LoadGenerator load = new LoadGenerator("http://127.0.0.1:" + port, 4)) {
                load.awaitAcknowledged(500, Duration.ofSeconds(120));
                // both sinks in the group, every partition owned
                before = await().atMost(Duration.ofSeconds(60)).until(group::assignments,
                        a -> a.size() == 2 * consumersPerSink && a.values().stream().noneMatch(Set::isEmpty));
                load.fault();
                sinkB.kill();
                load.awaitAcknowledged(500, Duration.ofSeconds(120));
                load.stop();
                result = load.result();
            }
            FaultReport.Figures figures = FaultReport.verify("one of two sinks killed (SIGKILL) under load", result,
                    services.pipeline(env));
            assertThat(figures.phases().during()).as("orders acknowledged after the kill").isPositive();
            assertThat(figures.outcomes().keySet()).containsOnly("200");
            assertThat(sinkA.isAlive()).isTrue();
            // the killed sink's members owned partitions, and the survivor's members own all of them now
            Map<String, Set<Integer>> after = group.assignments();
            Set<Integer> killedOwned = before.entrySet().stream().filter(e -> !after.containsKey(e.getKey()))
                    .flatMap(e -> e.getValue().stream()).collect(Collectors.toSet());
            assertThat(after).as("members left: the survivor's").hasSize(consumersPerSink);
            assertThat(killedOwned).as("partitions the killed sink owned").isNotEmpty();
            Set<Integer> all = before.values().stream().flatMap(Set::stream).collect(Collectors.toSet());
            assertThat(after.values().stream().flatMap(Set::stream).collect(Collectors.toSet())).isEqualTo(all);
        }
    }
}
