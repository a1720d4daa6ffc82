package io.orderpipeline;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import io.orderpipeline.support.EmbeddedServices;
import io.orderpipeline.support.JarProcess;
import io.orderpipeline.support.OrdersClient;
import io.orderpipeline.support.SecuredKafka;
import io.orderpipeline.support.TestCertificates;
import io.orderpipeline.support.TlsPostgres;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged jar's security manners: what it refuses to start with, the api-key command, secrets never shown. */
class SecurityJarIT {

    private static final Duration STARTUP = Duration.ofSeconds(120);

    /** The external services of this JVM, so that a refusal shows before anything would be embedded. */
    private static Map<String, String> external() {
        return EmbeddedServices.get().pipelineEnv();
    }

    private static String errorLine(JarProcess process) {
        List<String> errors = process.output().lines().filter(l -> l.startsWith("order-pipeline: error:")).toList();
        assertThat(errors).as(process.output()).hasSize(1);
        assertThat(process.output()).as("no stack trace").doesNotContain("\tat ");
        return errors.get(0);
    }

    @Test
    void anOpenApiOrManagementServerBeyondLoopbackRefusesToStartUnlessAskedFor() throws Exception {
        Map<String, String> openApi = external();
        openApi.put("ORDERS_HTTP_HOST", "0.0.0.0");
        try (JarProcess refused = JarProcess.start("open-api", openApi)) {
            assertThat(refused.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
            assertThat(errorLine(refused)).contains("order API would listen on 0.0.0.0 without authentication")
                    .contains("ORDERS_HTTP_API_KEYS_FILE").contains("ORDERS_HTTP_ALLOW_ANONYMOUS=true");
            assertThat(refused.output()).as("refused before starting anything").doesNotContain("Apache Camel");
        }
        Map<String, String> openManagement = external();
        openManagement.put("ORDERS_MANAGEMENT_HOST", "0.0.0.0");
        try (JarProcess refused = JarProcess.start("open-management", openManagement)) {
            assertThat(refused.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
            assertThat(errorLine(refused)).contains("management server would listen on 0.0.0.0 without authentication");
        }
        openApi.put("ORDERS_HTTP_ALLOW_ANONYMOUS", "true");
        try (JarProcess open = JarProcess.start("open-on-purpose", openApi)) {
            open.awaitOutput("is running", STARTUP);
            OrdersClient api = new OrdersClient("http://127.0.0.1:" + openApi.get("ORDERS_HTTP_PORT"));
            assertThat(api.post("{\"src_currency\": 1, \"dst_currency\": 2, \"channel\": 1}").status()).isEqualTo(200);
        }
    }

    @Test
    void apiKeyPrintsARandomKeyAndTheLineWithItsHash() throws Exception {
        try (JarProcess key = JarProcess.start("api-key", Map.of(), "api-key", "shop-1")) {
            assertThat(key.awaitExit(Duration.ofSeconds(60))).isZero();
            List<String> lines = key.output().lines().toList();
            assertThat(lines).hasSize(2);
            String secret = lines.get(0).replaceFirst("^key: +", "");
            String line = lines.get(1).replaceFirst("^line: +", "");
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
            assertThat(line).isEqualTo("shop-1:" + hash);
        }
        try (JarProcess bad = JarProcess.start("api-key-bad", Map.of(), "api-key", "no spaces allowed")) {
            assertThat(bad.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
        }
    }

    @Test
    void aWrongKafkaPasswordOrAnUntrustedDatabaseCertificateStopsTheStartWithOneLine() throws Exception {
        Map<String, String> env = external();
        SecuredKafka.get().scram("not-the-password").forEach((k, v) -> env.put(envName((String) k), (String) v));
        try (JarProcess refused = JarProcess.start("kafka-wrong-password", env)) {
            assertThat(refused.awaitExit(Duration.ofSeconds(90))).isEqualTo(1);
            assertThat(errorLine(refused)).contains("refused the pipeline's credentials")
                    .contains("invalid credentials").doesNotContain("not-the-password");
            assertThat(refused.output()).doesNotContain("not-the-password");
        }
        Map<String, String> untrusted = external();
        untrusted.put("ORDERS_DB_URL", TlsPostgres.get().url(TestCertificates.create("other-ca").caPem()));
        try (JarProcess refused = JarProcess.start("db-untrusted-ca", untrusted)) {
            assertThat(refused.awaitExit(Duration.ofSeconds(90))).isEqualTo(1);
            assertThat(errorLine(refused)).contains("failed the TLS check").contains("sslrootcert");
        }
    }

    @Test
    void secretsAppearNeitherInTheOutputNorOnTheManagementServer() throws Exception {
        String dbPassword = "Db-Secret-" + System.nanoTime();
        Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it-data")), "secrets-");
        String[] key = io.orderpipeline.platform.security.ApiKeys.newKey("shop-1");
        Path keys = Files.writeString(dataDir.resolve("keys.txt"), key[1] + "\n");
        Map<String, String> env = new HashMap<>();
        int port = EmbeddedServices.freePort();
        int management = EmbeddedServices.freePort();
        env.put("ORDERS_DATA_DIR", dataDir.toString());
        env.put("ORDERS_HTTP_PORT", String.valueOf(port));
        env.put("ORDERS_MANAGEMENT_PORT", String.valueOf(management));
        env.put("ORDERS_EMBEDDED_KAFKA", "true");
        env.put("ORDERS_KAFKA_BROKERS", "127.0.0.1:" + EmbeddedServices.freePort());
        env.put("ORDERS_EMBEDDED_POSTGRES", "true");
        env.put("ORDERS_DB_URL", "jdbc:postgresql://127.0.0.1:" + EmbeddedServices.freePort() + "/orders");
        env.put("ORDERS_DB_PASSWORD", dbPassword);
        env.put("ORDERS_HTTP_API_KEYS_FILE", keys.toString());
        env.put("ORDERS_MANAGEMENT_DEV_CONSOLE", "true");
        try (JarProcess pipeline = JarProcess.start("secrets", env)) {
            pipeline.awaitOutput("is running", STARTUP);
            OrdersClient api = new OrdersClient("http://127.0.0.1:" + port).withBearer(key[0]);
            assertThat(api.post("{\"src_currency\": 1, \"dst_currency\": 2, \"channel\": 1}").status()).isEqualTo(200);

            OrdersClient observe = new OrdersClient("http://127.0.0.1:" + management);
            StringBuilder shown = new StringBuilder();
            for (String path : List.of("/observe/info", "/observe/health?exposureLevel=full", "/observe/metrics",
                    "/q/dev/all", "/q/dev/properties", "/q/dev/context",
                    "/observe/jolokia/read/" + URLEncoder.encode("org.apache.camel:type=components,*", StandardCharsets.UTF_8),
                    "/observe/jolokia/read/" + URLEncoder.encode("org.apache.camel:type=context,*", StandardCharsets.UTF_8),
                    "/observe/jolokia/read/" + URLEncoder.encode("org.apache.camel:type=endpoints,*", StandardCharsets.UTF_8),
                    "/observe/jolokia/read/" + URLEncoder.encode("com.zaxxer.hikari:*", StandardCharsets.UTF_8),
                    "/observe/jolokia/read/java.lang:type=Runtime")) {
                var answer = observe.get(path);
                assertThat(answer.status()).as(path + ": " + answer.body()).isEqualTo(200);
                shown.append(answer.body());
            }
            assertThat(shown.toString()).contains("order-pipeline").doesNotContain(dbPassword)
                    .doesNotContain(key[0]);
            assertThat(pipeline.output()).doesNotContain(dbPassword).doesNotContain(key[0]);
        }
    }

    @Test
    void jolokiaFloodedWithBulkListsNeitherExhaustsTheHeapNorStopsThePipeline() throws Exception {
        Map<String, String> env = external();
        int management = EmbeddedServices.freePort();
        env.put("ORDERS_MANAGEMENT_PORT", String.valueOf(management));
        String twentyLists = "[" + String.join(",", java.util.Collections.nCopies(20, "{\"type\":\"list\"}")) + "]";
        // the launcher's own JVM options, as shipped
        try (JarProcess pipeline = JarProcess.launch("jolokia-flood", env)) {
            pipeline.awaitOutput("is running", STARTUP);
            OrdersClient observe = new OrdersClient("http://127.0.0.1:" + management);
            java.util.Set<Integer> statuses = java.util.concurrent.ConcurrentHashMap.newKeySet();
            List<Thread> clients = new java.util.ArrayList<>();
            for (int c = 0; c < 4; c++) {
                Thread client = new Thread(() -> {
                    for (int i = 0; i < 10; i++) {
                        statuses.add(observe.send("POST", "/observe/jolokia/", "application/json",
                                twentyLists.getBytes(StandardCharsets.UTF_8)).status());
                    }
                });
                client.start();
                clients.add(client);
            }
            for (Thread client : clients) {
                client.join(120_000);
            }
            long peakMegabytes = pipeline.peakResidentBytes() >> 20;

            assertThat(statuses).as("answers to 40 POSTs of 20 lists").isSubsetOf(413, 503).contains(413);
            assertThat(observe.get("/observe/health/ready").status()).isEqualTo(200);
            assertThat(pipeline.output()).doesNotContain("OutOfMemoryError");
            io.orderpipeline.support.FaultReport.edge("Jolokia flood (the launcher's JVM options)", "40 POSTs of 20"
                    + " lists from 4 clients: answers " + statuses + ", peak resident " + peakMegabytes + " MB");
            // the README's bound for the pipeline's process, whatever grew the heap to its maximum
            assertThat(peakMegabytes).as("peak resident MB (VmHWM)").isLessThan(512);
        }
    }

    private static String envName(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
