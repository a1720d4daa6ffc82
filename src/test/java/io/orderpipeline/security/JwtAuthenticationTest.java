package io.orderpipeline.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Properties;

import io.orderpipeline.support.OrdersClient.Answer;
import io.orderpipeline.support.PipelineTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** JWT bearer tokens from an identity provider: signature, expiry, issuer and audience checked; client from a claim. */
class JwtAuthenticationTest extends PipelineTestSupport {

    private static final String ORDER = """
            {"src_currency": 1, "dst_currency": 2, "description": "jwt", "channel": 1}""";
    private static final String ISSUER = "https://id.example";
    private static final String AUDIENCE = "order-pipeline";
    private static final KeyPair TRUSTED = rsa();
    private static final KeyPair OTHER = rsa();

    @Override
    protected void overrideProperties(Properties properties) {
        properties.put("orders.http.jwt.jwks-file", jwks(TRUSTED).toString());
        properties.put("orders.http.jwt.issuer", ISSUER);
        properties.put("orders.http.jwt.audience", AUDIENCE);
        properties.put("orders.http.jwt.client-id-claim", "client");
    }

    @Test
    void aValidTokenIsAcceptedAndItsClaimNamesTheClient() {
        Answer answer = api().withBearer(token(TRUSTED, ISSUER, AUDIENCE, 300, "partner-7")).post(ORDER);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("client_id").asText()).isEqualTo("partner-7");
    }

    @Test
    void aTokenThatIsExpiredForeignForAnotherAudienceOrSignedByAnotherKeyGets401() {
        String[] refused = {
                token(TRUSTED, ISSUER, AUDIENCE, -120, "partner-7"),
                token(TRUSTED, "https://evil.example", AUDIENCE, 300, "partner-7"),
                token(TRUSTED, ISSUER, "another-service", 300, "partner-7"),
                token(OTHER, ISSUER, AUDIENCE, 300, "partner-7"),
                token(TRUSTED, ISSUER, AUDIENCE, 300, null),
        };
        int before = kafka().readAll(topic()).size();
        for (String token : refused) {
            Answer answer = api().withBearer(token).post(ORDER);
            assertThat(answer.status()).as(answer.body()).isEqualTo(401);
            assertThat(answer.header("WWW-Authenticate")).contains("invalid_token");
            assertThat(answer.json().get("status").asInt()).isEqualTo(401);
        }
        assertThat(kafka().readAll(topic())).hasSize(before);
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path jwks(KeyPair keys) {
        RSAPublicKey key = (RSAPublicKey) keys.getPublic();
        String json = "{\"keys\":[{\"kty\":\"RSA\",\"alg\":\"RS256\",\"use\":\"sig\",\"kid\":\"k1\",\"n\":\""
                + b64(unsigned(key.getModulus().toByteArray())) + "\",\"e\":\""
                + b64(unsigned(key.getPublicExponent().toByteArray())) + "\"}]}";
        try {
            Path file = Files.createTempFile(Files.createDirectories(Path.of("target", "test-data")), "jwks", ".json");
            return Files.writeString(file, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A signed RS256 token; {@code client} null leaves the client claim out. */
    static String token(KeyPair keys, String issuer, String audience, long expiresInSeconds, String client) {
        long now = Instant.now().getEpochSecond();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"k1\"}";
        String payload = "{\"sub\":\"user-1\",\"iss\":\"" + issuer + "\",\"aud\":\"" + audience + "\",\"iat\":"
                + (now - 5) + ",\"exp\":" + (now + expiresInSeconds)
                + (client == null ? "" : ",\"client\":\"" + client + "\"") + "}";
        String signed = b64(header.getBytes(StandardCharsets.UTF_8)) + "." + b64(payload.getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign((PrivateKey) keys.getPrivate());
            signature.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + b64(signature.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] unsigned(byte[] bytes) {
        return bytes.length > 1 && bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
