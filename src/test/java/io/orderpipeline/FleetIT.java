package io.orderpipeline;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderpipeline.support.ConsumerGroup;
import io.orderpipeline.support.EmbeddedServices;
import io.orderpipeline.support.FaultReport;
import io.orderpipeline.support.JarProcess;
import io.orderpipeline.support.LoadGenerator;
import io.orderpipeline.support.OrdersDatabase;
import io.orderpipeline.support.PrometheusScrape;
import io.orderpipeline.support.ServicesProcess;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pipeline as a fleet on this machine: the broker and PostgreSQL ({@code services}), two {@code produce} and up to
 * three {@code consume} processes of the packaged jar. Not part of {@code mvn verify} (it takes minutes); run it with
 * {@code mvn -B verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=FleetIT}. Writes
 * {@code target/fleet-figures.md}; bench/README.md keeps dated results.
 * <ol>
 * <li>A backlog built through both produce instances while no sink runs, then drained by one consume process and,
 * after the others start, by three: the lag falls, and every instance stores a share.</li>
 * <li>Under load on both produce instances, one of each is killed with SIGKILL and restarted; PostgreSQL is frozen
 * (SIGSTOP) while a produce and a consume process restart, and orders without an Idempotency-Key are acknowledged
 * meanwhile.</li>
 * <li>Nothing acknowledged is lost, no Idempotency-Key has a second order, nothing is dead-lettered; the time to drain
 * after the last fault is measured.</li>
 * </ol>
 */
class FleetIT {

    private static final Duration STARTUP = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NAME = "fleet";

    private final List<String> figures = new ArrayList<>();
    private ServicesProcess services;
    private Map<String, String> base;

    private Map<String, String> env(int httpPort, int managementPort) {
        Map<String, String> env = new java.util.HashMap<>(base);
        env.put("ORDERS_HTTP_PORT", String.valueOf(httpPort));
        env.put("ORDERS_MANAGEMENT_PORT", String.valueOf(managementPort));
        return env;
    }

    private final class Instance {
        final String name;
        final String command;
        final int httpPort = EmbeddedServices.freePort();
        final int managementPort = EmbeddedServices.freePort();
        JarProcess process;
        int incarnation;
        /** orders_stored_total (consume) or messages_produced_total (produce) of incarnations gone before. */
        double countedBefore;

        Instance(String name, String command) {
            this.name = name;
            this.command = command;
        }

        Instance start() throws IOException {
            process = JarProcess.start(NAME + "-" + name + "-" + incarnation++, env(httpPort, managementPort), command);
            return this;
        }

        Instance awaitRunning() throws InterruptedException {
            process.awaitOutput("is running", STARTUP);
            return this;
        }

        double counted() {
            String metric = command.equals("consume") ? "orders_stored_total" : "messages_produced_total";
            try {
                HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + managementPort + "/observe/metrics"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                return PrometheusScrape.parse(answer.body()).sum(metric);
            } catch (Exception e) {
                return 0; // not answering (killed, or frozen behind the database): counted at its last scrape
            }
        }

        void kill() throws Exception {
            countedBefore += counted();
            process.kill();
        }

        void stop() throws Exception {
            countedBefore += counted();
            process.terminate(STARTUP);
        }

        double total() {
            return countedBefore + counted();
        }

        String url() {
            return "http://127.0.0.1:" + httpPort;
        }
    }

    @Test
    void twoProduceAndThreeConsumeProcessesRideOutKillsAndAFrozenDatabaseLosingNothing() throws Exception {
        services = ServicesProcess.start(NAME, STARTUP);
        base = services.pipelineEnv(NAME, 0);
        base.put("ORDERS_KAFKA_PARTITIONS", "6");
        // a retry after a crash republishes the order in flight sooner (above the delivery timeout)
        base.put("ORDERS_IDEMPOTENCY_IN_FLIGHT_SECONDS", "6");
        // a slower sink than the default (batches of 50, as under a database busy with other work), so that one
        // consume process cannot empty the backlog before the others have started
        base.put("ORDERS_SINK_MAX_POLL_RECORDS", "50");
        String topic = base.get("ORDERS_KAFKA_TOPIC");
        String group = base.get("ORDERS_KAFKA_CONSUMER_GROUP");
        ConsumerGroup sinks = new ConsumerGroup(services.brokers(), group, topic);
        OrdersDatabase db = new OrdersDatabase(services.jdbcUrl());
        List<Instance> produce = List.of(new Instance("produce-1", "produce"), new Instance("produce-2", "produce"));
        List<Instance> consume = List.of(new Instance("consume-1", "consume"), new Instance("consume-2", "consume"),
                new Instance("consume-3", "consume"));
        List<UUID> acknowledged = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        Map<String, Long> outcomes = new LinkedHashMap<>();
        LoadGenerator.Result loads;
        try {
            for (Instance p : produce) {
                p.start();
            }
            for (Instance p : produce) {
                p.awaitRunning();
            }

            // 1. a backlog through both produce instances, drained by one consume process, then by three
            for (int i = 0; i < 300; i++) {
                acknowledged.addAll(postBatch(produce.get(i % 2).url(), 1000));
            }
            long backlog = sinks.lag();
            figures.add("| backlog built by batches through both produce instances, no sink running | " + backlog
                    + " records behind |");
            assertThat(backlog).isEqualTo(acknowledged.size());
            // every order of an accepted batch is acknowledged: one "200" each, as the load generators count theirs
            outcomes.put("200", (long) acknowledged.size());
            consume.get(0).start().awaitRunning();
            long oneStart = sinks.lag();
            long t0 = System.nanoTime();
            Thread.sleep(5_000);
            long oneEnd = sinks.lag();
            double oneRate = (oneStart - oneEnd) / ((System.nanoTime() - t0) / 1e9);
            figures.add("| one consume process for 5 s | lag " + oneStart + " → " + oneEnd + " (" + Math.round(oneRate)
                    + " records/s) |");
            consume.get(1).start();
            consume.get(2).start();
            consume.get(1).awaitRunning();
            consume.get(2).awaitRunning();
            long threeStart = sinks.lag();
            t0 = System.nanoTime();
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (sinks.lag() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            double threeSeconds = (System.nanoTime() - t0) / 1e9;
            figures.add("| three consume processes | lag " + threeStart + " → " + sinks.lag() + " in "
                    + String.format("%.1f", threeSeconds) + " s (" + Math.round(threeStart / threeSeconds)
                    + " records/s); stored per instance so far: " + consume.stream()
                    .map(c -> c.name + " " + Math.round(c.total())).collect(Collectors.joining(", ")) + " |");
            assertThat(sinks.lag()).as("lag after scaling to three").isZero();
            assertThat(threeStart).as("the backlog was still there when the others joined").isPositive();
            assertThat(consume).allSatisfy(c -> assertThat(c.total()).as(c.name + " stored a share").isPositive());

            // 2. faults under load: keyed orders on both produce instances
            try (LoadGenerator one = new LoadGenerator(produce.get(0).url(), 3);
                    LoadGenerator two = new LoadGenerator(produce.get(1).url(), 3)) {
                one.awaitAcknowledged(300, Duration.ofSeconds(60));
                two.awaitAcknowledged(300, Duration.ofSeconds(60));
                produce.get(1).kill();
                consume.get(2).kill();
                Thread.sleep(3_000);
                produce.get(1).start();
                consume.get(2).start();
                produce.get(1).awaitRunning();
                consume.get(2).awaitRunning();
                one.awaitAcknowledged(300, Duration.ofSeconds(60));
                two.awaitAcknowledged(300, Duration.ofSeconds(60));
                figures.add("| produce-2 and consume-3 killed (SIGKILL) under load and restarted | answers so far "
                        + one.outcomes() + " / " + two.outcomes() + " |");

                // PostgreSQL frozen across a restart of produce-1 and consume-1; keyless orders keep being taken
                List<ProcessHandle> postgres = postgresProcesses();
                assertThat(postgres).as("PostgreSQL's processes").isNotEmpty();
                long frozenAt = System.nanoTime();
                signal(postgres, "STOP");
                List<UUID> duringOutage;
                Map<String, Long> keylessOutcomes;
                LoadGenerator.Result keylessResult;
                int readyDuringOutage;
                try {
                    produce.get(0).stop();
                    consume.get(0).kill();
                    produce.get(0).start();
                    consume.get(0).start();
                    produce.get(0).awaitRunning();
                    // the API does not need PostgreSQL for orders without a key: produce stays ready without it
                    readyDuringOutage = new io.orderpipeline.support.OrdersClient("http://127.0.0.1:"
                            + produce.get(0).managementPort).get("/observe/health/ready").status();
                    try (LoadGenerator keyless = LoadGenerator.withoutKeys(produce.get(0).url(), 2)) {
                        keyless.awaitAcknowledged(200, Duration.ofSeconds(60));
                        keyless.stop();
                        keylessResult = keyless.result();
                        duringOutage = keylessResult.acknowledged();
                        keylessOutcomes = keylessResult.outcomes();
                    }
                    while (System.nanoTime() - frozenAt < Duration.ofSeconds(15).toNanos()) {
                        Thread.sleep(200);
                    }
                } finally {
                    signal(postgres, "CONT");
                }
                long thawedAt = System.nanoTime();
                figures.add("| PostgreSQL frozen (SIGSTOP) " + String.format("%.1f", (thawedAt - frozenAt) / 1e9)
                        + " s while produce-1 restarted (SIGTERM) and consume-1 restarted (SIGKILL) | "
                        + duringOutage.size() + " orders without a key acknowledged by the restarted produce-1 during"
                        + " the outage; its answers " + keylessOutcomes + " |");
                figures.add("| readiness of the restarted produce-1 while PostgreSQL was frozen | " + readyDuringOutage
                        + " |");
                assertThat(duringOutage).as("orders acknowledged while PostgreSQL was frozen").isNotEmpty();
                assertThat(readyDuringOutage).as("produce's readiness while PostgreSQL was frozen").isEqualTo(200);
                acknowledged.addAll(duringOutage);
                keylessOutcomes.forEach((k, v) -> outcomes.merge(k, v, Long::sum));
                consume.get(0).awaitRunning();
                one.awaitAcknowledged(300, Duration.ofSeconds(120));
                two.awaitAcknowledged(300, Duration.ofSeconds(120));
                acknowledged.addAll(one.stop());
                acknowledged.addAll(two.stop());
                loads = LoadGenerator.Result.combined(List.of(one.result(), two.result(), keylessResult));
                keys.addAll(one.keys());
                keys.addAll(two.keys());
                figures.add("| acknowledged per produce instance (keyed load) | produce-1 " + one.acknowledged().size()
                        + ", produce-2 " + two.acknowledged().size() + "; answers " + one.outcomes() + " / "
                        + two.outcomes() + " |");
                one.outcomes().forEach((k, v) -> outcomes.merge(k, v, Long::sum));
                two.outcomes().forEach((k, v) -> outcomes.merge(k, v, Long::sum));
                long drainStart = System.nanoTime();
                deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
                while ((sinks.lag() > 0 || !db.allStored(acknowledged))
                        && System.nanoTime() < deadline) {
                    Thread.sleep(250);
                }
                figures.add("| drained after the last fault (PostgreSQL thawed, load stopped) | "
                        + String.format("%.1f", (System.nanoTime() - thawedAt) / 1e9) + " s after the thaw, "
                        + String.format("%.1f", (System.nanoTime() - drainStart) / 1e9) + " s after the load stopped |");
            }
            figures.add("| published per produce instance (messages_produced_total, all incarnations) | "
                    + produce.stream().map(p -> p.name + " " + Math.round(p.total())).collect(Collectors.joining(", "))
                    + " |");
            figures.add("| stored per consume instance (orders_stored_total, all incarnations; a redelivered order"
                    + " counts again) | " + consume.stream().map(c -> c.name + " " + Math.round(c.total()))
                    .collect(Collectors.joining(", ")) + " |");

            // 3. nothing lost, no second order under a key, nothing dead-lettered
            FaultReport.Figures result = FaultReport.verify("fleet: 2 produce, 3 consume; kills, a frozen database",
                    loads, services.pipeline(base));
            figures.add("| result | " + result.acknowledged() + " acknowledged, " + result.found() + " stored, "
                    + result.missing() + " lost, " + result.keyDuplicates() + " second orders under a key, "
                    + result.deadLetters() + " dead-lettered, " + result.republished() + " republished by a retry |");
        } finally {
            writeFigures();
            for (Instance i : produce) {
                if (i.process != null) {
                    i.process.close();
                }
            }
            for (Instance i : consume) {
                if (i.process != null) {
                    i.process.close();
                }
            }
            services.close();
        }
    }

    /** POSTs a batch of orders without a key; the ids of those accepted. */
    private static List<UUID> postBatch(String url, int size) throws Exception {
        StringBuilder body = new StringBuilder("[");
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < size; i++) {
            body.append(i == 0 ? "" : ",").append("{\"src_currency\": ").append(random.nextInt(1000))
                    .append(", \"dst_currency\": ").append(random.nextInt(1000))
                    .append(", \"description\": \"backlog\", \"channel\": 1}");
        }
        body.append(']');
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url
                + "/orders/batch")).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        List<UUID> ids = new ArrayList<>();
        for (JsonNode result : JSON.readTree(answer.body()).get("results")) {
            ids.add(UUID.fromString(result.get("id").asText()));
        }
        return ids;
    }

    /**
     * The embedded PostgreSQL's server and its workers: the server is started by pg_ctl and left to init, so it is found
     * by the port on its command line, not among the services process's children.
     */
    private List<ProcessHandle> postgresProcesses() {
        String port = services.jdbcUrl().replaceAll(".*:(\\d+)/.*", "$1");
        List<ProcessHandle> found = new ArrayList<>();
        ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                .filter(p -> List.of(p.info().arguments().orElse(new String[0])).contains(port))
                .forEach(server -> {
                    found.add(server);
                    server.descendants().forEach(found::add);
                });
        return found;
    }

    private static void signal(List<ProcessHandle> processes, String signal) throws Exception {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        processes.forEach(p -> command.add(String.valueOf(p.pid())));
        assertThat(new ProcessBuilder(command).inheritIO().start().waitFor()).isZero();
    }

    private void writeFigures() throws IOException {
        StringBuilder md = new StringBuilder("# Fleet run (FleetIT)\n\n| phase | figures |\n|---|---|\n");
        figures.forEach(f -> md.append(f).append('\n'));
        Path out = Path.of("target", "fleet-figures.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString(), StandardCharsets.UTF_8);
        System.out.println(md);
    }
}
