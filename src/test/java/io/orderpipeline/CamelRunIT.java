package io.orderpipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.orderpipeline.platform.startup.PipelineStartup;
import io.orderpipeline.support.EmbeddedServices;
import io.orderpipeline.support.JarProcess;
import io.orderpipeline.support.Orders;
import io.orderpipeline.support.OrdersClient;
import io.orderpipeline.support.OrdersDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The routes, application.properties and the Java beans, unchanged, under the Camel CLI:
 * {@code camel run application.properties src/main/resources/routes/*.camel.yaml <bean sources>} against a broker
 * and database started with {@code java -jar target/order-pipeline.jar services}. The CLI is camel-jbang-core from
 * Maven Central (src/test/camel-cli/pom.xml), started through its three-line launcher in a JVM of its own; it
 * compiles the bean sources and downloads what the routes use itself, as it would on a developer's machine.
 */
class CamelRunIT {

    private static final Duration STARTUP = Duration.ofSeconds(180);
    private static final String ORDER = Orders.json("from camel run");
    /** Only the jar needs these: its command line and the embedded broker and database. */
    private static final List<String> JAR_ONLY = List.of("io/orderpipeline/cli/", "io/orderpipeline/devservices/");
    /**
     * camel-jbang-core 4.17.0 asks for camel-kamelets 4.17.0, which is not published; the routes use no Kamelet, so
     * any published version only silences the download error.
     */
    private static final String KAMELETS_VERSION = "4.16.0";

    @Test
    void camelRunServesTheProjectsRoutesAgainstTheServicesProcess() throws Exception {
        String camelVersion = System.getProperty("orderpipeline.camel.version", "4.18.0");
        Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it-data")), "camel-run-")
                .toAbsolutePath();
        String brokers = "127.0.0.1:" + EmbeddedServices.freePort();
        String dbUrl = "jdbc:postgresql://127.0.0.1:" + EmbeddedServices.freePort() + "/orders";
        String cliClasspath = camelCliClasspath(camelVersion); // before anything runs: a nested Maven

        Map<String, String> servicesEnv = Map.of("ORDERS_DATA_DIR", dataDir.toString(),
                "ORDERS_KAFKA_BROKERS", brokers, "ORDERS_DB_URL", dbUrl);
        try (JarProcess services = JarProcess.start("camel-run-services", servicesEnv, "services")) {
            services.awaitOutput("services are up", STARTUP);

            Map<String, String> env = new HashMap<>();
            env.put("ORDERS_KAFKA_BROKERS", brokers);
            env.put("ORDERS_DB_URL", dbUrl);
            env.put("ORDERS_HTTP_PORT", String.valueOf(EmbeddedServices.freePort()));
            env.put("ORDERS_MANAGEMENT_PORT", String.valueOf(EmbeddedServices.freePort()));
            // classpath:migrations is what the jar packages; camel run reads them where they are
            env.put("ORDERS_DB_MIGRATIONS_LOCATION", "filesystem:" + Path.of("migrations").toAbsolutePath());
            env.put("ORDERS_SINK_CONSUMERS", "2");
            env.put("ORDERS_TRACING_EXPORTER", "none"); // no collector here
            // camel run keeps its work files (.camel-jbang/) in its working directory, and reads
            // camel.jbang.dependencies from the application.properties there, as in the project directory
            Path workDir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "camel-run")), "run-");
            Files.copy(Path.of("application.properties"), workDir.resolve("application.properties"));

            try (JarProcess camel = JarProcess.start("camel-run", env, workDir,
                    camelRunCommand(cliClasspath))) {
                camel.awaitOutput("Apache Camel " + camelVersion + " (order-pipeline) started", STARTUP);
                assertThat(camel.output())
                        .as("the bean sources compile, and PipelineStartup prepares the context once")
                        .containsOnlyOnce("Database schema is up to date")
                        .contains("Started orders-api", "Started orders-sink", "Started orders-lookup");

                OrdersClient api = new OrdersClient("http://127.0.0.1:" + env.get("ORDERS_HTTP_PORT"));
                OrdersClient.Answer answer = api.post(ORDER);
                assertThat(answer.status()).as(answer.body()).isEqualTo(200);
                UUID id = Orders.id(answer);

                OrdersDatabase db = new OrdersDatabase(dbUrl);
                db.awaitStored(id);
                assertThat(db.row(id)).hasValueSatisfying(row -> assertThat(row.get("description"))
                        .isEqualTo("from camel run"));
                assertThat(api.send("GET", "/orders/" + id, null, null).status()).isEqualTo(200);
                // the beans answer errors as in the jar: validator (400) and JSON error pages (404)
                assertThat(api.post("{\"src_currency\": 1}").status()).isEqualTo(400);
                assertThat(api.send("GET", "/no-such-path", null, null).problem().get("status").asInt()).isEqualTo(404);
                // a resource file given to camel run is on its classpath: the route that serves it finds it
                assertThat(api.get("/openapi.json").json().get("openapi").asText()).startsWith("3.");

                camel.terminate(Duration.ofSeconds(60));
                assertThat(camel.output()).contains("(order-pipeline) shutdown in");
            }
        }
    }

    private static List<String> camelRunCommand(String cliClasspath) throws IOException {
        List<String> command = new ArrayList<>(List.of(JarProcess.java(), "-Xmx512m"));
        String repo = System.getProperty("orderpipeline.maven.repo.local");
        if (repo != null && !repo.isBlank()) {
            command.add("-Dmaven.repo.local=" + repo); // camel run downloads into the build's local repository
        }
        command.addAll(List.of("-cp", cliClasspath, absolute("src/test/camel-cli/CamelCli.java"), "run",
                "application.properties", absolute("src/main/resources/openapi.json"),
                absolute("src/main/resources/order-record.schema.json")));
        try (Stream<Path> routes = Files.list(Path.of("src/main/resources/routes"))) {
            routes.filter(p -> p.toString().endsWith(".camel.yaml")).sorted()
                    .forEach(p -> command.add(p.toAbsolutePath().toString()));
        }
        Path sources = Path.of("src/main/java");
        try (Stream<Path> beans = Files.walk(sources)) {
            beans.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> JAR_ONLY.stream().noneMatch(sources.relativize(p).toString().replace('\\', '/')::startsWith))
                    .sorted().forEach(p -> command.add(p.toAbsolutePath().toString()));
        }
        // no --dep: camel run adds camel.jbang.dependencies of the application.properties in its directory
        command.add("--kamelets-version=" + KAMELETS_VERSION);
        command.add("--logging-color=false");
        return command;
    }

    /**
     * The Camel CLI's classpath, resolved once per build into target/camel-cli.classpath by a nested Maven run on
     * src/test/camel-cli/pom.xml, with this build's Maven and local repository.
     */
    private static String camelCliClasspath(String camelVersion) throws Exception {
        Path file = Path.of("target", "camel-cli.classpath").toAbsolutePath();
        if (!Files.isRegularFile(file)) {
            String home = System.getProperty("maven.home");
            String mvn = home == null ? "mvn" : Path.of(home, "bin", "mvn").toString();
            List<String> command = new ArrayList<>(List.of(mvn, "-B", "-q", "-f", absolute("src/test/camel-cli/pom.xml"),
                    "dependency:build-classpath", "-Dmdep.outputFile=" + file, "-Dcamel.version=" + camelVersion));
            String repo = System.getProperty("orderpipeline.maven.repo.local");
            if (repo != null && !repo.isBlank()) {
                command.add("-Dmaven.repo.local=" + repo);
            }
            Path log = Files.createDirectories(Path.of("target", "it-logs")).resolve("camel-cli-classpath.log");
            Process mvnProcess = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .start();
            if (!mvnProcess.waitFor(10, TimeUnit.MINUTES) || mvnProcess.exitValue() != 0 || !Files.isRegularFile(file)) {
                mvnProcess.destroyForcibly();
                throw new AssertionError("could not resolve the Camel CLI with " + String.join(" ", command) + ":\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
        }
        return Files.readString(file, StandardCharsets.UTF_8).strip();
    }

    private static String absolute(String path) {
        return Path.of(path).toAbsolutePath().toString();
    }
}
