package io.orderpipeline.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Properties;

import io.orderpipeline.support.PipelineTestSupport;
import io.orderpipeline.support.RawHttp;
import io.orderpipeline.support.RawHttp.Response;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The management server as a Kubernetes pod runs it (deployments/kubernetes): bound beyond loopback, with Camel's
 * management authentication on Jolokia only. A kubelet's probe and a Prometheus scrape name the pod's own address in
 * {@code Host} and carry no credentials; they are answered, while Jolokia still wants credentials and a foreign name
 * is still refused.
 */
class ManagementProbesTest extends PipelineTestSupport {

    private static final String OPERATOR = "operator";
    private static final String PASSWORD = "probe-test-secret";

    @Override
    protected void overrideProperties(Properties properties) {
        try {
            Path users = Files.createTempFile("management-users", ".properties");
            Files.writeString(users, "user." + OPERATOR + "=" + PASSWORD + ",admin\n", StandardCharsets.UTF_8);
            users.toFile().deleteOnExit();
            properties.put("orders.management.host", "0.0.0.0");
            properties.put("camel.management.authentication-enabled", "true");
            properties.put("camel.management.basic-properties-file", users.toString());
            properties.put("camel.management.authentication-path", "/observe/jolokia/*");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int port() {
        return Integer.parseInt(property("orders.management.port"));
    }

    private static String basic(String user, String password) {
        return "Authorization: Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void probesAndScrapesByThePodsAddressAreAnsweredWithoutCredentials() throws Exception {
        String host = RawHttp.machineAddress() + ":" + port();
        // the pipeline's own start first (its sink's consumer joins the group after the context started)
        management().awaitReadiness(200);
        for (String path : new String[] {"/observe/health/live", "/observe/health/ready", "/observe/health"}) {
            Response answer = RawHttp.send(port(), "GET", path, host, null);
            assertThat(answer.status()).as(path + ": " + answer.body()).isEqualTo(200);
            assertThat(answer.body()).as(path).contains("UP");
        }
        Response metrics = RawHttp.send(port(), "GET", "/observe/metrics", host, null);
        assertThat(metrics.status()).as(metrics.body()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes");
    }

    @Test
    void jolokiaBeyondLoopbackStillWantsCredentials() throws Exception {
        String host = RawHttp.machineAddress() + ":" + port();
        Response anonymous = RawHttp.send(port(), "GET", "/observe/jolokia/version", host, null);
        Response wrong = RawHttp.send(port(), "GET", "/observe/jolokia/version", host, null, basic(OPERATOR, "guess"));
        Response operator = RawHttp.send(port(), "GET", "/observe/jolokia/version", host, null, basic(OPERATOR, PASSWORD));

        assertThat(anonymous.status()).as(anonymous.body()).isEqualTo(401);
        assertThat(wrong.status()).as(wrong.body()).isEqualTo(401);
        assertThat(operator.status()).as(operator.body()).isEqualTo(200);
        assertThat(operator.body()).contains("\"agent\"");
    }

    @Test
    void aNameThatIsNotThisMachinesStillIsRefusedWithCredentialsOrNot() {
        for (String host : new String[] {"evil.example:" + port(), "203.0.113.7:" + port(), "[2001:db8::7]:" + port()}) {
            assertThat(RawHttp.send(port(), "GET", "/observe/health/ready", host, null).status()).as(host).isEqualTo(403);
            assertThat(RawHttp.send(port(), "GET", "/observe/jolokia/version", host, null, basic(OPERATOR, PASSWORD))
                    .status()).as(host).isEqualTo(403);
        }
    }
}
