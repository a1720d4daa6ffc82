package io.orderpipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import io.orderpipeline.support.Orders;
import io.orderpipeline.support.EmbeddedServices;
import io.orderpipeline.support.JarProcess;
import io.orderpipeline.support.OrdersClient;
import io.orderpipeline.support.OrdersDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code mvn compile camel:run}, as the README gives it, in a copy of the project (a Maven of its own must not write
 * into this build's target/): the pom's camel-maven-plugin runs the launcher, which embeds the broker and database.
 */
class CamelMavenRunIT {

    private static final Duration STARTUP = Duration.ofMinutes(5);
    /** What the nested build reads: the pom, its resources and the sources, nothing this build wrote. */
    private static final List<String> PROJECT = List.of("pom.xml", "application.properties", "migrations", "src/main");

    @Test
    void camelRunGoalStartsThePipelineWithItsEmbeddedServices() throws Exception {
        Path project = copyOfProject();
        int kafkaPort = EmbeddedServices.freePort();
        int dbPort = EmbeddedServices.freePort();
        String dbUrl = "jdbc:postgresql://127.0.0.1:" + dbPort + "/orders";
        Map<String, String> env = new HashMap<>();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("ORDERS_EMBEDDED_KAFKA", "true");
        env.put("ORDERS_EMBEDDED_POSTGRES", "true");
        env.put("ORDERS_KAFKA_BROKERS", "127.0.0.1:" + kafkaPort);
        env.put("ORDERS_DB_URL", dbUrl);
        env.put("ORDERS_HTTP_PORT", String.valueOf(EmbeddedServices.freePort()));
        env.put("ORDERS_SINK_CONSUMERS", "2");
        env.put("MAVEN_OPTS", "-Xmx768m");

        try (JarProcess mvn = JarProcess.start("camel-maven-run", env, project, mavenCommand())) {
            mvn.awaitOutput("is running (Ctrl-C to stop)", STARTUP);
            assertThat(mvn.output()).contains("Started orders-api", "Started orders-sink", "Started orders-lookup");

            OrdersClient api = new OrdersClient("http://127.0.0.1:" + env.get("ORDERS_HTTP_PORT"));
            OrdersClient.Answer answer = api.post(Orders.json("from mvn camel:run"));
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            UUID id = Orders.id(answer);
            OrdersDatabase db = new OrdersDatabase(dbUrl);
            db.awaitStored(id);
            assertThat(api.send("GET", "/orders/" + id, null, null).body()).contains("from mvn camel:run");

            mvn.terminate(Duration.ofSeconds(60));
            assertThat(mvn.output()).contains("(order-pipeline) shutdown in");
        }
    }

    private static List<String> mavenCommand() {
        String home = System.getProperty("maven.home");
        String mvn = home == null ? "mvn" : Path.of(home, "bin", "mvn").toString();
        List<String> command = new ArrayList<>(List.of(mvn, "-B", "-q", "compile", "camel:run"));
        String repo = System.getProperty("orderpipeline.maven.repo.local");
        if (repo != null && !repo.isBlank()) {
            command.add("-Dmaven.repo.local=" + repo);
        }
        return command;
    }

    private static Path copyOfProject() throws IOException {
        Path target = Files.createTempDirectory(Files.createDirectories(Path.of("target", "camel-maven-run")), "project-")
                .toAbsolutePath();
        for (String entry : PROJECT) {
            Path from = Path.of(entry);
            try (Stream<Path> files = Files.walk(from)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Path to = target.resolve(file.toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(to);
                    } else {
                        Files.createDirectories(to.getParent());
                        Files.copy(file, to, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        return target;
    }
}
