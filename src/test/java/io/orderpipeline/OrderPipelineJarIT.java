package io.orderpipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.orderpipeline.support.Orders;
import io.orderpipeline.support.EmbeddedServices;
import io.orderpipeline.support.JarProcess;
import io.orderpipeline.support.OrdersClient;
import io.orderpipeline.support.OrdersDatabase;
import io.orderpipeline.support.ShippedRoutes;
import io.orderpipeline.support.TopicReader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The packaged jar, its subcommands and its manners, each run as a separate process. */
class OrderPipelineJarIT {

    private static final Duration STARTUP = Duration.ofSeconds(120);
    private static final String ORDER = Orders.json("from the jar");

    /** Embedded services forced on free ports, with their data in a fresh directory. */
    private static Map<String, String> embeddedOnFreePorts(Path dataDir) {
        Map<String, String> env = new HashMap<>();
        env.put("ORDERS_DATA_DIR", dataDir.toString());
        env.put("ORDERS_HTTP_PORT", String.valueOf(EmbeddedServices.freePort()));
        env.put("ORDERS_EMBEDDED_KAFKA", "true");
        env.put("ORDERS_KAFKA_BROKERS", "127.0.0.1:" + EmbeddedServices.freePort());
        env.put("ORDERS_EMBEDDED_POSTGRES", "true");
        env.put("ORDERS_DB_URL", "jdbc:postgresql://127.0.0.1:" + EmbeddedServices.freePort() + "/orders");
        return env;
    }

    private static Path freshDataDir() throws Exception {
        return Files.createTempDirectory(Files.createDirectories(Path.of("target", "it-data")), "data-")
                .toAbsolutePath();
    }

    @Test
    void helpListsTheSubcommandsAndVersionPrintsOne() throws Exception {
        try (JarProcess help = JarProcess.start("help", Map.of(), "--help")) {
            assertThat(help.awaitExit(Duration.ofSeconds(60))).isZero();
            assertThat(help.output()).contains("produce", "consume", "migrate", "services", "-c, --config FILE");
        }
        try (JarProcess version = JarProcess.start("version", Map.of(), "--version")) {
            assertThat(version.awaitExit(Duration.ofSeconds(60))).isZero();
            assertThat(version.output()).startsWith("order-pipeline ");
        }
    }

    @Test
    void migrateOnItsOwnStartsTheEmbeddedDatabaseMigratesAndExits() throws Exception {
        Path dataDir = freshDataDir();
        Map<String, String> env = embeddedOnFreePorts(dataDir);
        env.put("ORDERS_EMBEDDED_KAFKA", "auto"); // nothing to embed: migrate does not need the broker
        try (JarProcess migrate = JarProcess.start("migrate-alone", env, "migrate")) {
            assertThat(migrate.awaitExit(STARTUP)).as(migrate.output()).isZero();
            int migrations = shippedMigrations();
            assertThat(migrate.output()).contains("at schema version " + migrations + " (" + migrations
                    + " migrations applied)");
        }
        assertThat(dataDir.resolve("postgres")).isDirectory();
        assertThat(dataDir.resolve("kafka")).doesNotExist();
    }

    @Test
    void aMissingConfigFileOrUnknownCommandStopsWithAOneLineError() throws Exception {
        try (JarProcess missing = JarProcess.start("missing-config", Map.of(), "-c", "no/such.properties")) {
            assertThat(missing.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
            assertThat(missing.output().strip()).isEqualTo(
                    "order-pipeline: error: config file no/such.properties does not exist");
        }
        try (JarProcess unknown = JarProcess.start("unknown", Map.of(), "publish")) {
            assertThat(unknown.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
            assertThat(unknown.output()).startsWith("order-pipeline: unknown command 'publish'");
        }
        // dlq: 1 when it cannot do its work (no broker within the start-up timeout), 2 on bad usage
        try (JarProcess noBroker = JarProcess.start("dlq-no-broker", Map.of("ORDERS_KAFKA_BROKERS",
                "127.0.0.1:" + EmbeddedServices.freePort(), "ORDERS_KAFKA_STARTUP_TIMEOUT_MS", "1000"), "dlq", "list")) {
            assertThat(noBroker.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
            assertThat(lastLine(noBroker.output())).startsWith("order-pipeline: error: ");
            assertThat(noBroker.output()).doesNotContain("\tat ");
        }
        try (JarProcess badUsage = JarProcess.start("dlq-bad-usage", Map.of(), "dlq", "list", "--limit", "-1")) {
            assertThat(badUsage.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
            assertThat(badUsage.output()).startsWith("order-pipeline: ").contains("--limit");
        }
        try (JarProcess unbuilt = JarProcess.launch("unbuilt", Map.of("ORDER_PIPELINE_JAR", "no/such.jar"))) {
            assertThat(unbuilt.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
            assertThat(unbuilt.output().strip()).isEqualTo("order-pipeline: error: no/such.jar does not exist;"
                    + " build it with: mvn -B -q package -DskipTests");
        }
        // bin/order-pipeline passes its arguments on, with its JVM options or ORDER_PIPELINE_JAVA_OPTS instead
        try (JarProcess launched = JarProcess.launch("launcher-version", Map.of(), "--version")) {
            assertThat(launched.awaitExit(Duration.ofSeconds(60))).isZero();
            assertThat(launched.output()).startsWith("order-pipeline ")
                    .contains("heap up to " + launcherHeapMegabytes() + " MB, collectors PS MarkSweep, PS Scavenge");
        }
        try (JarProcess launched = JarProcess.launch("launcher-opts",
                Map.of("ORDER_PIPELINE_JAVA_OPTS", "-Xmx100m -XX:+UseSerialGC"), "--version")) {
            assertThat(launched.awaitExit(Duration.ofSeconds(60))).isZero();
            assertThat(launched.output()).contains("heap up to 100 MB, collectors Copy, MarkSweepCompact");
        }
    }

    @Test
    void aPipelineStartedBeforeItsBrokerAndDatabaseServesOnceTheyComeUpWithoutARestart() throws Exception {
        Path dataDir = freshDataDir();
        Map<String, String> servicesEnv = embeddedOnFreePorts(dataDir);
        Map<String, String> env = new HashMap<>();
        env.put("ORDERS_HTTP_PORT", servicesEnv.get("ORDERS_HTTP_PORT"));
        int management = EmbeddedServices.freePort();
        env.put("ORDERS_MANAGEMENT_PORT", String.valueOf(management));
        // addresses of services not started yet: nothing listens there
        env.put("ORDERS_KAFKA_BROKERS", servicesEnv.get("ORDERS_KAFKA_BROKERS"));
        env.put("ORDERS_KAFKA_STARTUP_TIMEOUT_MS", "3000");
        env.put("ORDERS_DB_URL", servicesEnv.get("ORDERS_DB_URL"));
        OrdersClient api = new OrdersClient("http://127.0.0.1:" + env.get("ORDERS_HTTP_PORT"));
        OrdersClient observe = new OrdersClient("http://127.0.0.1:" + management);

        try (JarProcess pipeline = JarProcess.start("before-its-services", env)) {
            pipeline.awaitOutput("is running", STARTUP);
            OrdersClient.Answer ready = observe.get("/observe/health/ready?exposureLevel=full");
            assertThat(ready.status()).as("readiness while nothing answers").isEqualTo(503);
            assertThat(ready.body()).contains("waiting for");
            long asked = System.nanoTime();
            OrdersClient.Answer refused = api.post(ORDER);
            assertThat(refused.status()).as("an order while the broker is away").isEqualTo(503);
            assertThat(refused.header("Retry-After")).isNotBlank();
            // at once, not after the producer's max.block.ms on the event loop (Vert.x would report it blocked)
            assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(2));
            Thread.sleep(3_000);
            assertThat(pipeline.output()).doesNotContain("\tat ").doesNotContain("has been blocked");

            try (JarProcess services = JarProcess.start("services-later", servicesEnv, "services")) {
                services.awaitOutput("services are up", STARTUP);
                OrdersDatabase db = new OrdersDatabase(servicesEnv.get("ORDERS_DB_URL"));
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> api.post(ORDER).status() == 200);
                OrdersClient.Answer answer = api.post(ORDER);
                UUID id = Orders.id(answer);
                // the table exists once the pipeline has migrated the schema
                db.awaitStored(id);
                observe.awaitReadiness(200);
                assertThat(pipeline.isAlive()).isTrue();
                assertThat(pipeline.output()).as("one line for each wait, no stack trace")
                        .doesNotContain("\tat ").containsOnlyOnce("Waiting for PostgreSQL");
            }
        }
    }

    @Test
    void aRefusedDatabaseLoginStillStopsTheStartWithOneLine() throws Exception {
        Map<String, String> env = EmbeddedServices.get().pipelineEnv();
        env.put("ORDERS_DB_PASSWORD", "not-the-password");
        try (JarProcess refused = JarProcess.start("refused-login", env)) {
            assertThat(refused.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
            assertThat(lastLine(refused.output())).startsWith("order-pipeline: error: PostgreSQL at ")
                    .contains("refused the login");
            assertThat(refused.output()).doesNotContain("not-the-password").doesNotContain("\tat ");
        }
    }

    @Test
    void runsTheWholePipelineOnEmbeddedServicesAndARestartKeepsEveryOrder() throws Exception {
        Path dataDir = freshDataDir();
        Map<String, String> env = embeddedOnFreePorts(dataDir);
        OrdersClient api = new OrdersClient("http://127.0.0.1:" + env.get("ORDERS_HTTP_PORT"));
        OrdersDatabase db = new OrdersDatabase(env.get("ORDERS_DB_URL"));
        List<UUID> ids = new ArrayList<>();

        try (JarProcess first = JarProcess.start("first", env)) {
            first.awaitOutput("is running", STARTUP).awaitOutput("data dir     " + dataDir, STARTUP);
            assertThat(first.output()).contains("API          http://127.0.0.1:" + env.get("ORDERS_HTTP_PORT"),
                    "Kafka        " + env.get("ORDERS_KAFKA_BROKERS"), env.get("ORDERS_DB_URL"),
                    "data dir     " + dataDir);
            for (int i = 0; i < 5; i++) {
                OrdersClient.Answer answer = api.post(ORDER);
                assertThat(answer.status()).isEqualTo(200);
                ids.add(Orders.id(answer));
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> db.allStored(ids));

            // a second instance on the same HTTP port refuses to start instead of running half-way
            Map<String, String> samePort = new HashMap<>(env);
            samePort.put("ORDERS_EMBEDDED_KAFKA", "false");
            samePort.put("ORDERS_EMBEDDED_POSTGRES", "false");
            try (JarProcess second = JarProcess.start("second", samePort)) {
                assertThat(second.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
                assertThat(lastLine(second.output())).contains("HTTP port 127.0.0.1:" + env.get("ORDERS_HTTP_PORT")
                        + " is already in use");
            }
            // SIGTERM: the JVM reports 128 + 15 after Camel stopped the routes gracefully
            assertThat(first.terminate(Duration.ofSeconds(90))).isEqualTo(143);
            assertThat(first.output()).contains("(order-pipeline) shutdown in");
        }
        assertThat(dataDir.resolve("kafka")).isDirectory();
        assertThat(dataDir.resolve("postgres")).isDirectory();

        // the restart goes through bin/order-pipeline, the README's way to run it, with its JVM defaults, and loads
        // its routes from a directory (--routes DIR) in which orders-api answers with one more header
        Path routes = ShippedRoutes.copy("routes-from-dir-");
        Path apiRoute = routes.resolve("orders-api.camel.yaml");
        String answered = "        - setHeader:\n            name: CamelHttpResponseCode\n            constant: \"200\"";
        String edited = Files.readString(apiRoute).replace(answered,
                "        - setHeader:\n            name: X-Routes\n            constant: from-dir\n" + answered);
        assertThat(edited).contains("X-Routes");
        Files.writeString(apiRoute, edited);
        try (JarProcess restarted = JarProcess.launch("restarted", env, "--routes", routes.toString())) {
            restarted.awaitOutput("is running", STARTUP).awaitOutput("data dir     " + dataDir, STARTUP);
            assertThat(restarted.output()).contains("heap up to " + launcherHeapMegabytes() + " MB", "collectors PS MarkSweep, PS Scavenge");
            OrdersClient.Answer answer = api.post(ORDER);
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.header("X-Routes")).as("orders-api from --routes DIR").isEqualTo("from-dir");
            ids.add(Orders.id(answer));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> db.allStored(ids));
            assertThat(new TopicReader(env.get("ORDERS_KAFKA_BROKERS")).readAll("orders"))
                    .extracting(r -> UUID.fromString(r.key()))
                    .containsExactlyInAnyOrderElementsOf(ids);
        }
    }

    @Test
    void servicesProduceAndConsumeInSeparateProcessesWorkTogether() throws Exception {
        Path dataDir = freshDataDir();
        Map<String, String> servicesEnv = embeddedOnFreePorts(dataDir);
        Map<String, String> pipelineEnv = new HashMap<>();
        pipelineEnv.put("ORDERS_KAFKA_BROKERS", servicesEnv.get("ORDERS_KAFKA_BROKERS"));
        pipelineEnv.put("ORDERS_DB_URL", servicesEnv.get("ORDERS_DB_URL"));
        pipelineEnv.put("ORDERS_HTTP_PORT", servicesEnv.get("ORDERS_HTTP_PORT"));
        OrdersClient api = new OrdersClient("http://127.0.0.1:" + servicesEnv.get("ORDERS_HTTP_PORT"));
        OrdersDatabase db = new OrdersDatabase(servicesEnv.get("ORDERS_DB_URL"));

        try (JarProcess services = JarProcess.start("services", servicesEnv, "services")) {
            services.awaitOutput("services are up", STARTUP).awaitOutput("data dir", STARTUP);
            assertThat(services.output()).contains(servicesEnv.get("ORDERS_KAFKA_BROKERS"),
                    servicesEnv.get("ORDERS_DB_URL"));

            try (JarProcess migrate = JarProcess.start("migrate", pipelineEnv, "migrate")) {
                assertThat(migrate.awaitExit(STARTUP)).as(migrate.output()).isZero();
                assertThat(migrate.output()).contains(shippedMigrations() + " migrations applied");
            }
            // the -c file layers over the defaults, -D properties over it, environment variables over all
            Path produceConfig = dataDir.resolve("produce.properties");
            Files.writeString(produceConfig, "orders.http.port = " + servicesEnv.get("ORDERS_HTTP_PORT") + "\n");
            Map<String, String> produceEnv = new HashMap<>(pipelineEnv);
            produceEnv.remove("ORDERS_HTTP_PORT");
            // the routes a command starts are configuration: this produce leaves the batch route out
            produceEnv.put("ORDERS_COMMAND_PRODUCE_ROUTES", "orders-api,orders-openapi");
            int produceManagement = EmbeddedServices.freePort();
            produceEnv.put("ORDERS_MANAGEMENT_PORT", String.valueOf(produceManagement));
            Path consumeConfig = dataDir.resolve("consume.properties");
            Files.writeString(consumeConfig, "orders.kafka.consumer-group = group-from-file\n");
            Map<String, String> consumeEnv = new HashMap<>(pipelineEnv);
            consumeEnv.put("ORDERS_KAFKA_CONSUMER_GROUP", "group-from-env");
            // -D under the environment for the pipeline's keys, over it for Camel's (README: Configuration)
            consumeEnv.put("ORDER_PIPELINE_JAVA_OPTS", "-Xmx256m -Dorders.kafka.consumer-group=group-from-d"
                    + " -Dcamel.main.name=name-from-d");
            consumeEnv.put("CAMEL_MAIN_NAME", "name-from-env");
            // the schema is there (migrate above): this consume is told not to touch it
            consumeEnv.put("ORDERS_DB_MIGRATE", "false");

            try (JarProcess produce = JarProcess.start("produce", produceEnv, "-c", produceConfig.toString(),
                    "produce");
                    JarProcess consume = JarProcess.launch("consume", consumeEnv, "--config",
                            consumeConfig.toString(), "consume")) {
                produce.awaitOutput("is running", STARTUP);
                consume.awaitOutput("is running", STARTUP);
                assertThat(produce.output()).contains("Started orders-api", "Started orders-openapi")
                        .doesNotContain("Started orders-sink").doesNotContain("Started orders-batch");
                assertThat(consume.output()).contains("Started orders-sink").doesNotContain("Started orders-api")
                        .as("orders.db.migrate=false").doesNotContain("Database schema");
                assertThat(consume.output()).contains("(name-from-d) started");

                OrdersClient.Answer answer = api.post(ORDER);
                assertThat(answer.status()).isEqualTo(200);
                UUID id = Orders.id(answer);
                db.awaitStored(id);
                // produce serves no lookup (it would read PostgreSQL); FleetIT shows its readiness while PostgreSQL is frozen
                assertThat(api.get("/orders/" + id).status()).as("GET /orders/{id} on produce").isEqualTo(404);
                assertThat(api.send("POST", "/orders/batch", "application/json", "[]".getBytes()).status())
                        .as("the route left out").isEqualTo(404);
                OrdersClient.Answer ready = new OrdersClient("http://127.0.0.1:" + produceManagement)
                        .get("/observe/health/ready?exposureLevel=full");
                assertThat(ready.status()).as(ready.body()).isEqualTo(200);
                // its database check says "not used by this process" (DatabaseHealthCheckTest; FleetIT freezes PostgreSQL)
                assertThat(ready.body()).contains("{\"name\":\"orders-broker\",\"status\":\"UP\"}")
                        .contains("{\"name\":\"orders-database\",\"status\":\"UP\"}");
                assertThat(consumerGroups(servicesEnv.get("ORDERS_KAFKA_BROKERS")))
                        .contains("group-from-env").doesNotContain("group-from-file", "group-from-d", "order-pipeline");
            }
        }
    }

    private static java.util.Set<String> consumerGroups(String brokers) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            return admin.listConsumerGroups().all().get().stream()
                    .map(ConsumerGroupListing::groupId).collect(java.util.stream.Collectors.toSet());
        }
    }

    private static String lastLine(String output) {
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1];
    }

    /** The versioned migrations in migrations/ (V1__..., V2__...): a fresh database gets them all. */
    private static int shippedMigrations() throws java.io.IOException {
        try (var files = Files.list(Path.of("migrations"))) {
            return (int) files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
        }
    }

    /** The heap bin/order-pipeline gives by default (its DEFAULT_JAVA_OPTS line), in MB. */
    private static int launcherHeapMegabytes() throws java.io.IOException {
        java.util.regex.Matcher xmx = java.util.regex.Pattern.compile("DEFAULT_JAVA_OPTS=\".*-Xmx(\\d+)m")
                .matcher(java.nio.file.Files.readString(java.nio.file.Path.of("bin", "order-pipeline")));
        assertThat(xmx.find()).as("the launcher's -Xmx").isTrue();
        return Integer.parseInt(xmx.group(1));
    }
}
