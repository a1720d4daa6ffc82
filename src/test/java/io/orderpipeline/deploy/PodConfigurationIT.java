package io.orderpipeline.deploy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.orderpipeline.support.Orders;
import io.orderpipeline.support.EmbeddedServices;
import io.orderpipeline.support.JarProcess;
import io.orderpipeline.support.RawHttp;
import io.orderpipeline.support.RawHttp.Response;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged jar started as a produce pod starts it: with deployments/kubernetes/base/pipeline.env as its environment
 * (the ConfigMap), the mounted Secrets as files, and only what points at this machine's broker and database instead
 * of a Strimzi and CloudNativePG cluster changed. A kubelet's probe (the pod's address in Host, no credentials) is
 * answered; Jolokia wants the management users' credentials; the API takes an order with an API key.
 */
class PodConfigurationIT {

    private static final Duration STARTUP = Duration.ofSeconds(90);

    @Test
    void aProducePodAnswersItsProbesAndKeepsJolokiaBehindCredentials(@TempDir Path dir) throws Exception {
        Map<String, String> env = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("deployments/kubernetes/base/pipeline.env"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                env.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        // the Secrets, as the pod mounts them
        Files.writeString(dir.resolve("users.properties"), "user.operator=pod-test-secret,admin\n");
        Files.writeString(dir.resolve("api-keys.txt"), "shop-1:" + sha256Hex("pod-test-key") + "\n");
        env.put("CAMEL_MANAGEMENT_BASIC_PROPERTIES_FILE", dir.resolve("users.properties").toString());
        env.put("ORDERS_HTTP_API_KEYS_FILE", dir.resolve("api-keys.txt").toString());
        // this machine's broker and database, without the cluster's SCRAM and TLS, and no collector
        EmbeddedServices services = EmbeddedServices.get();
        env.put("ORDERS_KAFKA_BROKERS", services.bootstrapServers());
        env.put("ORDERS_KAFKA_SECURITY_PROTOCOL", "PLAINTEXT");
        env.put("ORDERS_KAFKA_SSL_TRUSTSTORE_TYPE", "JKS");
        env.put("ORDERS_KAFKA_SSL_TRUSTSTORE_LOCATION", "");
        // the topics are the cluster's (KafkaTopics), as pipeline.env says (create-topics=false): made once the pod
        // has shown that it waits for them instead of making them
        String topic = "orders-pod-" + java.util.UUID.randomUUID();
        env.put("ORDERS_KAFKA_TOPIC", topic);
        env.put("ORDERS_KAFKA_DLT_TOPIC", topic + ".DLT");
        env.put("ORDERS_DB_URL", services.jdbcUrl());
        env.put("ORDERS_TRACING_EXPORTER", "none");
        int api = EmbeddedServices.freePort();
        int management = EmbeddedServices.freePort();
        env.put("ORDERS_HTTP_PORT", String.valueOf(api));
        env.put("ORDERS_MANAGEMENT_PORT", String.valueOf(management));

        try (JarProcess pod = JarProcess.start("pod-produce", env, "produce")) {
            pod.awaitOutput("is running", STARTUP);
            String podAddress = RawHttp.machineAddress() + ":" + management;
            String order = Orders.json("pod");
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    services.bootstrapServers()))) {
                Response waiting = RawHttp.send(management, "GET", "/observe/health/ready?exposureLevel=full",
                        podAddress, null);
                assertThat(waiting.status()).as(waiting.body()).isEqualTo(503);
                assertThat(waiting.body()).contains("waiting for");
                assertThat(RawHttp.send(api, "POST", "/orders", "127.0.0.1:" + api, order,
                        "Content-Type: application/json", "Authorization: Bearer pod-test-key").status())
                        .as("an order before the topics exist").isEqualTo(503);
                assertThat(admin.listTopics().names().get()).as("topics the pod made").doesNotContain(topic,
                        topic + ".DLT");
                admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1), new NewTopic(topic + ".DLT", 3,
                        (short) 1))).all().get();
            }
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> RawHttp.send(
                    management, "GET", "/observe/health/ready", podAddress, null).status() == 200);
            for (String probe : List.of("/observe/health/live", "/observe/health/ready", "/observe/metrics")) {
                Response answer = RawHttp.send(management, "GET", probe, podAddress, null);
                assertThat(answer.status()).as(probe + " " + answer.body()).isEqualTo(200);
            }
            assertThat(RawHttp.send(management, "GET", "/observe/jolokia/version", podAddress, null).status())
                    .isEqualTo(401);
            assertThat(RawHttp.send(management, "GET", "/observe/jolokia/version", podAddress, null,
                    "Authorization: Basic " + base64("operator:pod-test-secret")).status()).isEqualTo(200);

            Response anonymous = RawHttp.send(api, "POST", "/orders", "127.0.0.1:" + api, order,
                    "Content-Type: application/json");
            Response keyed = RawHttp.send(api, "POST", "/orders", "127.0.0.1:" + api, order,
                    "Content-Type: application/json", "Authorization: Bearer pod-test-key");
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(keyed.status()).as(keyed.body()).isEqualTo(200);
            assertThat(keyed.body()).contains("\"client_id\":\"shop-1\"");
            assertThat(pod.output()).doesNotContain("Created Kafka topics")
                    .contains("Picked up JDK_JAVA_OPTIONS: -XX:+UseParallelGC -XX:MaxRAMPercentage=50.0")
                    .doesNotContain("pod-test-secret").doesNotContain("pod-test-key");
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256Hex(String key) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(key.getBytes(StandardCharsets.UTF_8)));
    }
}
