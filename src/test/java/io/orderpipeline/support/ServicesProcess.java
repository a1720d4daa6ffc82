package io.orderpipeline.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code order-pipeline services} (the embedded broker and PostgreSQL) as its own process on free ports, for tests
 * that kill, freeze or restart pipeline processes around it.
 */
public final class ServicesProcess implements AutoCloseable {

    private final JarProcess process;
    private final String brokers;
    private final String jdbcUrl;

    private ServicesProcess(JarProcess process, String brokers, String jdbcUrl) {
        this.process = process;
        this.brokers = brokers;
        this.jdbcUrl = jdbcUrl;
    }

    /** Starts it with a fresh data directory and waits until both services are up. */
    public static ServicesProcess start(String name, Duration startup) throws IOException, InterruptedException {
        Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it-data")), name + "-");
        String brokers = "127.0.0.1:" + EmbeddedServices.freePort();
        String jdbcUrl = "jdbc:postgresql://127.0.0.1:" + EmbeddedServices.freePort() + "/orders";
        JarProcess process = JarProcess.start(name + "-services", Map.of(
                "ORDERS_DATA_DIR", dataDir.toAbsolutePath().toString(),
                "ORDERS_KAFKA_BROKERS", brokers,
                "ORDERS_DB_URL", jdbcUrl), "services");
        process.awaitOutput("data dir", startup);
        return new ServicesProcess(process, brokers, jdbcUrl);
    }

    /** The environment of a pipeline on these services, with topics and consumer group of its own. */
    public Map<String, String> pipelineEnv(String name, int httpPort) {
        Map<String, String> env = new HashMap<>();
        env.put("ORDERS_KAFKA_BROKERS", brokers);
        env.put("ORDERS_DB_URL", jdbcUrl);
        env.put("ORDERS_HTTP_PORT", String.valueOf(httpPort));
        env.put("ORDERS_KAFKA_TOPIC", "orders-" + name);
        env.put("ORDERS_KAFKA_DLT_TOPIC", "orders-" + name + ".DLT");
        env.put("ORDERS_KAFKA_CONSUMER_GROUP", "sink-" + name);
        return env;
    }

    /** The topics, group and database a pipeline started with this environment uses, for {@link FaultReport#verify}. */
    public FaultReport.Pipeline pipeline(Map<String, String> env) {
        return new FaultReport.Pipeline(brokers, env.get("ORDERS_KAFKA_TOPIC"), env.get("ORDERS_KAFKA_DLT_TOPIC"),
                env.get("ORDERS_KAFKA_CONSUMER_GROUP"), new OrdersDatabase(jdbcUrl));
    }

    public String brokers() {
        return brokers;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The process, to signal it (STOP freezes the broker; PostgreSQL runs in processes of its own). */
    public JarProcess process() {
        return process;
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
