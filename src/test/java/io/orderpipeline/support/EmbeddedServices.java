package io.orderpipeline.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

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

    /** Ports handed out in this JVM: the kernel may offer a closed one again, and two servers must not share one. */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** A port nothing listens on now, and that this JVM has not handed out before. */
    public static int freePort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket socket = new ServerSocket(0)) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free port that was not handed out already");
    }
}
