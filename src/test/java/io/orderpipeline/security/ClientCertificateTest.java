package io.orderpipeline.security;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Properties;

import javax.net.ssl.SSLContext;

import io.orderpipeline.support.Orders;
import io.orderpipeline.support.OrdersClient;
import io.orderpipeline.support.OrdersClient.Answer;
import io.orderpipeline.support.PipelineTestSupport;
import io.orderpipeline.support.TestCertificates;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Mutual TLS on the API (orders.http.tls.client-truststore): only a client presenting a certificate from the trusted
 * CA gets a connection, and its subject's CN is its client id; the management server asks for no certificate.
 */
class ClientCertificateTest extends PipelineTestSupport {

    private static final String ORDER = Orders.json("mutual tls");
    private static final TestCertificates CERTS = TestCertificates.shared();

    @Override
    protected void overrideProperties(Properties properties) {
        properties.put("orders.http.tls.keystore", CERTS.serverKeystore().toString());
        properties.put("orders.http.tls.keystore-password", TestCertificates.PASSWORD);
        properties.put("orders.http.tls.client-truststore", CERTS.caTruststore().toString());
        properties.put("orders.http.tls.client-truststore-password", TestCertificates.PASSWORD);
        properties.put("orders.management.tls", "true");
    }

    private OrdersClient https(String portKey, SSLContext tls) {
        HttpClient client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
        return new OrdersClient(client, "https://localhost:" + property(portKey));
    }

    @Test
    void aTrustedCertificateNamesTheClient() {
        Answer answer = https("orders.http.port", CERTS.clientContext(CERTS.clientKeystore("partner-9"))).post(ORDER);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("client_id").asText()).isEqualTo("partner-9");
    }

    @Test
    void noCertificateOrOneNoTrustedCaSignedGetsNoConnection() {
        long before = kafka().endOffsets(topic());
        SSLContext selfSigned = CERTS.clientContext(CERTS.selfSignedClientKeystore("partner-9"));

        for (SSLContext refused : new SSLContext[] {CERTS.clientContext(), selfSigned}) {
            // refused in the TLS handshake, not timed out
            assertThatThrownBy(() -> https("orders.http.port", refused).post(ORDER))
                    .hasCauseInstanceOf(java.io.IOException.class)
                    .cause().isNotInstanceOf(java.net.http.HttpTimeoutException.class);
        }
        assertThat(kafka().endOffsets(topic())).as("nothing published").isEqualTo(before);
    }

    @Test
    void theManagementServerAsksForNoCertificate() {
        assertThat(https("orders.management.port", CERTS.clientContext()).get("/observe/health").status())
                .isEqualTo(200);
    }
}
