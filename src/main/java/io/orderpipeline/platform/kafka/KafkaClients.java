package io.orderpipeline.platform.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Where the broker is and how to reach it securely, for the Kafka clients the pipeline makes itself (topic set-up,
 * the start-up check, the consumer-lag meter). The routes' producers and consumers get the same
 * {@code orders.kafka.*} settings through {@code camel.component.kafka.*} (application.properties).
 */
public record KafkaClients(String bootstrapServers, Map<String, Object> security) {

    /** orders.kafka.* key -> Kafka client configuration key; an unset or empty key leaves Kafka's default. */
    private static final Map<String, String> SECURITY_KEYS = Map.ofEntries(
            Map.entry("orders.kafka.security-protocol", "security.protocol"),
            Map.entry("orders.kafka.sasl-mechanism", "sasl.mechanism"),
            Map.entry("orders.kafka.sasl-jaas-config", "sasl.jaas.config"),
            Map.entry("orders.kafka.ssl-truststore-location", "ssl.truststore.location"),
            Map.entry("orders.kafka.ssl-truststore-password", "ssl.truststore.password"),
            Map.entry("orders.kafka.ssl-truststore-type", "ssl.truststore.type"),
            Map.entry("orders.kafka.ssl-keystore-location", "ssl.keystore.location"),
            Map.entry("orders.kafka.ssl-keystore-password", "ssl.keystore.password"),
            Map.entry("orders.kafka.ssl-keystore-type", "ssl.keystore.type"),
            Map.entry("orders.kafka.ssl-endpoint-identification-algorithm", "ssl.endpoint.identification.algorithm"));

    /** @param settings the configured value of a key, null when it has none or is empty */
    public static KafkaClients from(Function<String, String> settings) {
        Map<String, Object> security = new LinkedHashMap<>();
        SECURITY_KEYS.forEach((key, kafkaKey) -> {
            String value = settings.apply(key);
            if (value != null && !value.isBlank()) {
                // Camel's word for "no host name check" is none; Kafka's is an empty value
                boolean noCheck = kafkaKey.equals("ssl.endpoint.identification.algorithm")
                        && (value.strip().equals("none") || value.strip().equals("false"));
                security.put(kafkaKey, noCheck ? "" : value.strip());
            }
        });
        String brokers = settings.apply("orders.kafka.brokers");
        if (brokers == null) {
            throw new IllegalArgumentException("missing configuration property orders.kafka.brokers");
        }
        return new KafkaClients(brokers, Map.copyOf(security));
    }

    /** An admin client whose every call gives up after {@code timeout}. */
    public Admin admin(Duration timeout) {
        int millis = (int) timeout.toMillis();
        Map<String, Object> config = new LinkedHashMap<>(security);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        return Admin.create(config);
    }

    /** Never prints the settings: they hold passwords. */
    @Override
    public String toString() {
        return bootstrapServers + " (" + security.getOrDefault("security.protocol", "PLAINTEXT") + ")";
    }
}
