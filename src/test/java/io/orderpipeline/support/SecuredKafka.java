package io.orderpipeline.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.orderpipeline.devservices.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/**
 * A second embedded broker, for the Kafka security tests: a SASL_PLAINTEXT listener that takes SCRAM-SHA-256 logins
 * and an SSL listener with a test-made certificate, besides the PLAINTEXT one the tests themselves use to look at
 * topics. Started once per test JVM.
 */
public final class SecuredKafka {

    public static final String USER = "orders-pipeline";
    public static final String PASSWORD = "scram-Secret-42";

    private static SecuredKafka instance;

    private final int plainPort = EmbeddedServices.freePort();
    private final int saslPort = EmbeddedServices.freePort();
    private final int sslPort = EmbeddedServices.freePort();
    private final TestCertificates certificates = TestCertificates.shared();

    private SecuredKafka() {
    }

    public static synchronized SecuredKafka get() {
        if (instance == null) {
            try {
                SecuredKafka kafka = new SecuredKafka();
                kafka.start();
                instance = kafka;
            } catch (Exception e) {
                throw new IllegalStateException("could not start the secured broker", e);
            }
        }
        return instance;
    }

    private void start() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "secured-kafka-");
        String keystore = certificates.serverKeystore().toString();
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker("127.0.0.1", plainPort, dir)
                .withListener("SASL_PLAINTEXT", saslPort, Map.of(
                        "sasl.enabled.mechanisms", "SCRAM-SHA-256",
                        "listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;"))
                .withListener("SSL", sslPort, Map.of(
                        "ssl.keystore.location", keystore,
                        "ssl.keystore.type", "PKCS12",
                        "ssl.keystore.password", TestCertificates.PASSWORD,
                        "ssl.key.password", TestCertificates.PASSWORD));
        broker.start();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", plainBootstrap()))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(USER,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), PASSWORD))).all().get();
        }
    }

    /** The listener without security, for the tests' own readers. */
    public String plainBootstrap() {
        return "127.0.0.1:" + plainPort;
    }

    /** The pipeline's settings for the SCRAM listener, with this password. */
    public Properties scram(String password) {
        Properties p = new Properties();
        p.put("orders.kafka.brokers", "127.0.0.1:" + saslPort);
        p.put("orders.kafka.security-protocol", "SASL_PLAINTEXT");
        p.put("orders.kafka.sasl-mechanism", "SCRAM-SHA-256");
        p.put("orders.kafka.sasl-jaas-config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"" + USER + "\" password=\"" + password + "\";");
        return p;
    }

    /** The pipeline's settings for the TLS listener: the test CA as truststore, host names checked. */
    public Properties tls() {
        Properties p = new Properties();
        p.put("orders.kafka.brokers", "127.0.0.1:" + sslPort);
        p.put("orders.kafka.security-protocol", "SSL");
        p.put("orders.kafka.ssl-truststore-location", certificates.caPem().toString());
        p.put("orders.kafka.ssl-truststore-type", "PEM");
        return p;
    }
}
