package io.orderpipeline.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.orderpipeline.devservices.EmbeddedKafkaBroker;
import io.orderpipeline.devservices.EmbeddedPostgresDatabase;

/**
 * The real broker and database the in-JVM tests run against: started once per test JVM on free ports, with their
 * data under target/test-data, and stoppable/restartable by fault tests.
 */
public final class EmbeddedServices {

    private static EmbeddedServices instance;

    private final Path dataDir;
    private final int kafkaPort;
    private final int postgresPort;
    private EmbeddedKafkaBroker kafka;
    private EmbeddedPostgresDatabase postgres;

    private EmbeddedServices() throws IOException {
        this.dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "services-")
                .toAbsolutePath();
        this.kafkaPort = freePort();
        this.postgresPort = freePort();
    }

    public static synchronized EmbeddedServices get() {
        if (instance == null) {
            try {
                EmbeddedServices services = new EmbeddedServices();
                services.startKafka();
                services.startPostgres();
                Runtime.getRuntime().addShutdownHook(new Thread(services::stopAll));
                instance = services;
            } catch (Exception e) {
                throw new IllegalStateException("could not start the embedded broker and database", e);
            }
        }
        return instance;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/orders";
    }

    /**
     * The environment of a pipeline jar on these services (a free API port, this broker and database), so that it
     * embeds nothing and what it refuses shows before anything would be embedded; add to it what the test needs.
     */
    public Map<String, String> pipelineEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("ORDERS_HTTP_PORT", String.valueOf(freePort()));
        env.put("ORDERS_KAFKA_BROKERS", bootstrapServers());
        env.put("ORDERS_DB_URL", jdbcUrl());
        return env;
    }

    public synchronized void startKafka() throws Exception {
        kafka = new EmbeddedKafkaBroker("127.0.0.1", kafkaPort, dataDir.resolve("kafka")).start();
    }

    public synchronized void stopKafka() {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }

    public synchronized void startPostgres() throws Exception {
        postgres = new EmbeddedPostgresDatabase("127.0.0.1", postgresPort, dataDir.resolve("postgres"),
                "orders", "orders", "orders").start();
    }

    public synchronized void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }

    private synchronized void stopAll() {
        try {
            stopKafka();
            stopPostgres();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Ports for the tests' servers come from below the kernel's ephemeral range, where no client connection (a Kafka
     * client's, an HTTP client's) takes its local port, in a block of this JVM's own: two test JVMs run side by side
     * (surefire's forks), and a port one of them found free by binding port 0 could be taken by the other, or by any
     * outgoing connection, before its server binds it.
     */
    private static final int PORTS_PER_JVM = 3000;
    private static final java.util.concurrent.atomic.AtomicInteger NEXT_PORT = new java.util.concurrent.atomic
            .AtomicInteger(firstPort());

    private static int firstPort() {
        int ephemeralLow = 32768;
        try {
            // (read by line: /proc files have no size, and Files.readString reads the first byte only)
            ephemeralLow = Integer.parseInt(java.nio.file.Files.readAllLines(
                    java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            // not Linux: the usual default
        }
        // surefire's and failsafe's fork number (1, 2, ...); outside Maven, by process id
        int jvm = Integer.getInteger("orderpipeline.fork", (int) (ProcessHandle.current().pid() % 3) + 1);
        return ephemeralLow - PORTS_PER_JVM * (((jvm - 1) % 3) + 1);
    }

    /** A port nothing listens on now, from this JVM's block, not handed out before. */
    public static int freePort() {
        for (int attempt = 0; attempt < PORTS_PER_JVM; attempt++) {
            int port = NEXT_PORT.getAndIncrement();
            try (ServerSocket socket = new ServerSocket(port)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                // in use: the next one
            }
        }
        throw new IllegalStateException("no free port left in this JVM's block");
    }
}
