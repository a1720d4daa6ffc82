package io.orderpipeline.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Properties;

import io.orderpipeline.support.OrdersClient.Answer;
import io.orderpipeline.support.PipelineTestSupport;
import io.orderpipeline.support.TestCertificates;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** JWT signing keys from a PKCS12 keystore instead of a JWKS file; the client id from the default claim, sub. */
class JwtKeystoreAuthenticationTest extends PipelineTestSupport {

    private static final Path KEYSTORE = keystorePath();
    private static final KeyPair SIGNER = TestCertificates.jwtSigningKeystore(KEYSTORE);

    private static Path keystorePath() {
        try {
            return Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "jwt-keystore-")
                    .resolve("signing.p12");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void overrideProperties(Properties properties) {
        properties.put("orders.http.jwt.keystore", KEYSTORE.toString());
        properties.put("orders.http.jwt.keystore-password", TestCertificates.PASSWORD);
        properties.put("orders.http.jwt.issuer", "https://id.example");
        properties.put("orders.http.jwt.audience", "order-pipeline");
    }

    @Test
    void aTokenSignedWithTheKeystoresKeyIsAcceptedAndOneSignedWithAnotherIsNot() throws Exception {
        String order = "{\"src_currency\": 1, \"dst_currency\": 2, \"channel\": 1}";
        Answer accepted = api().withBearer(JwtAuthenticationTest.token(SIGNER, "https://id.example", "order-pipeline",
                300, null)).post(order);
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
        assertThat(accepted.json().get("client_id").asText()).as("the sub claim").isEqualTo("user-1");

        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        Answer refused = api().withBearer(JwtAuthenticationTest.token(generator.generateKeyPair(),
                "https://id.example", "order-pipeline", 300, null)).post(order);
        assertThat(refused.status()).isEqualTo(401);
    }
}
