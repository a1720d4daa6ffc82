package io.orderpipeline.devservices;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Apache Kafka broker (KRaft, combined broker + controller) running in this JVM.
 * Its log directory survives restarts, so records written before a restart are still there after it.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final int NODE_ID = 1;

    private final String host;
    private final int port;
    private final Path logDir;
    /** Further listeners, by security protocol (SASL_PLAINTEXT, SSL ...), each on its own port. */
    private final Map<String, Integer> listeners = new LinkedHashMap<>();
    private final Properties listenerConfig = new Properties();
    private KafkaRaftServer server;

    public EmbeddedKafkaBroker(String host, int port, Path logDir) {
        this.host = host;
        this.port = port;
        this.logDir = logDir;
    }

    public String bootstrapServers() {
        return host + ":" + port;
    }

    /**
     * Adds a listener besides PLAINTEXT, named after its security protocol, with the broker settings it needs
     * (e.g. {@code sasl.enabled.mechanisms}, {@code ssl.keystore.location}); call before {@link #start()}.
     */
    public EmbeddedKafkaBroker withListener(String securityProtocol, int listenerPort, Map<String, String> config) {
        listeners.put(securityProtocol, listenerPort);
        listenerConfig.putAll(config);
        return this;
    }

    public synchronized EmbeddedKafkaBroker start() throws Exception {
        Files.createDirectories(logDir);
        // the controller listens on a port of its own: one the kernel offers may be the (still unbound) broker port
        int controllerPort;
        do {
            controllerPort = freePort(host);
        } while (controllerPort == port || listeners.containsValue(controllerPort));
        KafkaConfig config = new KafkaConfig(brokerProperties(controllerPort), false);
        formatIfNew();
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        return this;
    }

    private Properties brokerProperties(int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
        StringBuilder extra = new StringBuilder();
        StringBuilder protocols = new StringBuilder();
        listeners.forEach((protocol, listenerPort) -> {
            extra.append(',').append(protocol).append("://").append(host).append(':').append(listenerPort);
            protocols.append(',').append(protocol).append(':').append(protocol);
        });
        p.put("listeners", "PLAINTEXT://" + host + ":" + port + extra + ",CONTROLLER://" + host + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port + extra);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT" + protocols);
        p.putAll(listenerConfig);
        p.put("log.dirs", logDir.toString());
        // one node: every internal topic has exactly one replica
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "6");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // the log cleaner's 128 MiB default dedupe buffer would sit on our heap
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));
        p.put("log.cleaner.threads", "1");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("auto.create.topics.enable", "true");
        return p;
    }

    private void formatIfNew() throws Exception {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        new Formatter()
                .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                .setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(logDir.toString()))
                .setMetadataLogDirectory(logDir.toString())
                .setControllerListenerName("CONTROLLER")
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setIgnoreFormatted(true)
                .run();
    }

    static int freePort(String host) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
            return socket.getLocalPort();
        }
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }
}
