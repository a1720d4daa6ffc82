package io.orderpipeline.security;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Properties;

import io.orderpipeline.support.Orders;
import io.orderpipeline.support.OrdersClient;
import io.orderpipeline.support.OrdersClient.Answer;
import io.orderpipeline.support.PipelineTestSupport;
import io.orderpipeline.support.TestCertificates;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** HTTPS on the API from a PKCS12 keystore: orders over TLS are taken, plain HTTP on the port gets none through. */
class ApiTlsTest extends PipelineTestSupport {

    private static final String ORDER = Orders.json("over tls");
    private static final TestCertificates CERTS = TestCertificates.shared();

    @Override
    protected void overrideProperties(Properties properties) {
        properties.put("orders.http.tls.keystore", CERTS.serverKeystore().toString());
        properties.put("orders.http.tls.keystore-password", TestCertificates.PASSWORD);
        properties.put("orders.management.tls", "true");
    }

    private OrdersClient https(String portKey) {
        HttpClient client = HttpClient.newBuilder().sslContext(CERTS.clientContext())
                .connectTimeout(Duration.ofSeconds(5)).build();
        return new OrdersClient(client, "https://localhost:" + property(portKey));
    }

    @Test
    void anOrderOverHttpsIsAcceptedAndPlainHttpOnThePortGetsNoOrderThrough() {
        long before = kafka().endOffsets(topic());

        Answer answer = https("orders.http.port").post(ORDER);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);

        assertThat(plainHttpIsClosedWithoutAnAnswer(Integer.parseInt(property("orders.http.port")),
                "POST /orders HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                        + ORDER.length() + "\r\n\r\n" + ORDER)).as("plain HTTP to the TLS port").isTrue();
        assertThat(kafka().endOffsets(topic())).as("only the HTTPS order").isEqualTo(before + 1);
    }

    @Test
    void onlyTls13AndTls12WithForwardSecrecyAndAeadCiphersAreNegotiated() {
        int port = Integer.parseInt(property("orders.http.port"));

        assertThat(handshake(port, "TLSv1.3", null)).isEqualTo("TLSv1.3");
        assertThat(handshake(port, "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"))
                .isEqualTo("TLSv1.2 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        for (String[] refused : new String[][] {
                {"TLSv1.2", "TLS_RSA_WITH_AES_128_CBC_SHA"}, // static RSA: no forward secrecy
                {"TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"}}) { // CBC
            assertThat(handshake(port, refused[0], refused[1])).as(String.join(" ", refused)).isNull();
        }
    }

    /**
     * Sends plain HTTP to a TLS port and reads until the server closes the connection: true when it closed it within
     * 5 s without an HTTP answer (a TLS alert at most). A timeout fails the test instead: that is no refusal.
     */
    private static boolean plainHttpIsClosedWithoutAnAnswer(int port, String request) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] received = socket.getInputStream().readAllBytes();
            return !new String(received, java.nio.charset.StandardCharsets.ISO_8859_1).startsWith("HTTP/");
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("the TLS port neither answered nor closed plain HTTP within 5 s", e);
        } catch (java.net.SocketException e) {
            return true; // reset by the server: closed, no answer
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The protocol (and the suite, when one is asked for) a handshake settled on, or null when it failed. */
    private static String handshake(int port, String protocol, String suite) {
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) CERTS.clientContext().getSocketFactory()
                .createSocket("localhost", port)) {
            socket.setSoTimeout(5000);
            socket.setEnabledProtocols(new String[] {protocol});
            if (suite != null) {
                socket.setEnabledCipherSuites(new String[] {suite});
            }
            socket.startHandshake();
            return suite == null ? socket.getSession().getProtocol()
                    : socket.getSession().getProtocol() + " " + socket.getSession().getCipherSuite();
        } catch (javax.net.ssl.SSLHandshakeException e) {
            return null;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theManagementServerSpeaksTlsToo() {
        Answer health = https("orders.management.port").get("/observe/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(plainHttpIsClosedWithoutAnAnswer(Integer.parseInt(property("orders.management.port")),
                "GET /observe/health HTTP/1.1\r\nHost: localhost\r\n\r\n")).as("plain HTTP").isTrue();
    }
}
