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

import io.orderpipeline.platform.security.ClientAuthentication;
import io.orderpipeline.support.LogCapture;
import io.orderpipeline.support.Orders;
import io.orderpipeline.support.OrdersClient.Answer;
import io.orderpipeline.support.PipelineTestSupport;
import io.orderpipeline.support.PrometheusScrape;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JWT bearer tokens from an identity provider: signature, issuer and audience checked, expiry required and checked,
 * nbf and iat within a clock skew; client from a claim; refusals generic to the client, counted and quietly logged.
 */
class JwtAuthenticationTest extends PipelineTestSupport {

    private static final String ORDER = Orders.json("jwt");
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
        long before = kafka().endOffsets(topic());
        for (String token : refused) {
            Answer answer = api().withBearer(token).post(ORDER);
            assertThat(answer.status()).as(answer.body()).isEqualTo(401);
            assertThat(answer.header("WWW-Authenticate")).contains("invalid_token");
            assertThat(answer.problem().get("status").asInt()).isEqualTo(401);
        }
        assertThat(kafka().endOffsets(topic())).isEqualTo(before);
    }

    @Test
    void aTokenWithoutExpiryIsRefusedForItWouldBeValidForEver() {
        long now = Instant.now().getEpochSecond();
        String noExp = signed(TRUSTED, "{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"iat\":" + now
                + ",\"client\":\"partner-7\"}");

        Answer answer = api().withBearer(noExp).post(ORDER);

        assertThat(answer.status()).as(answer.body()).isEqualTo(401);
        assertThat(answer.header("WWW-Authenticate")).contains("invalid_token");
    }

    @Test
    void notBeforeAndIssuedAtMayBeAheadByTheClockSkewAndNoMore() {
        long skew = Long.parseLong(property("orders.http.jwt.clock-skew-seconds"));
        long now = Instant.now().getEpochSecond();

        Answer slightlyAhead = api().withBearer(timed(now + skew / 3, now + skew / 3)).post(ORDER);
        Answer notYetValid = api().withBearer(timed(now + skew + 120, now)).post(ORDER);

        assertThat(slightlyAhead.status()).as("nbf and iat %d s ahead: %s", skew / 3, slightlyAhead.body())
                .isEqualTo(200);
        assertThat(notYetValid.status()).as("nbf beyond the skew").isEqualTo(401);
    }

    @Test
    void a401SaysInvalidTokenAndNothingOfWhatTheVerifierExpected() {
        for (String token : new String[] {
                token(TRUSTED, ISSUER, "another-service", 300, "partner-7"),
                token(TRUSTED, "https://evil.example", AUDIENCE, 300, "partner-7"),
                token(TRUSTED, ISSUER, AUDIENCE, -120, "partner-7")}) {
            Answer answer = api().withBearer(token).post(ORDER);

            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.problem().get("detail").asText()).isEqualTo("the API key or token is not valid");
            // the problem's type names this product, whose name the audience shares: the rest says nothing of it
            assertThat(answer.body().replace(answer.problem().get("type").asText(), "")).doesNotContain(AUDIENCE)
                    .doesNotContain(ISSUER).doesNotContain("RS256").doesNotContain("k1");
        }
    }

    @Test
    void refusalsAreCountedByReasonAndLoggedAtMostOnceAMinuteWithoutTheToken() {
        PrometheusScrape before = scrape();
        String badSignature = token(OTHER, ISSUER, AUDIENCE, 300, "partner-7");
        Answer[] answers;
        try (LogCapture log = LogCapture.capture()) {
            answers = new Answer[] {
                    api().post(ORDER),
                    api().withBearer(badSignature).post(ORDER),
                    api().withBearer(badSignature).post(ORDER),
                    api().withBearer("not-a-key").post(ORDER)};
            assertThat(log.of(ClientAuthentication.class)).as("lines about refused requests")
                    .hasSizeLessThanOrEqualTo(1)
                    .allSatisfy(e -> assertThat(e.getMessage().getFormattedMessage())
                            .doesNotContain(badSignature.substring(badSignature.lastIndexOf('.') + 1))
                            .doesNotContain("not-a-key"));
        }
        assertThat(answers).extracting(Answer::status).containsOnly(401);
        PrometheusScrape after = scrape();
        String failures = "orders_authentication_failures_total";
        assertThat(after.sum(failures, "reason", "missing") - before.sum(failures, "reason", "missing")).isEqualTo(1);
        assertThat(after.sum(failures, "reason", "invalid_token") - before.sum(failures, "reason", "invalid_token"))
                .isEqualTo(2);
        assertThat(after.sum(failures, "reason", "unknown_key") - before.sum(failures, "reason", "unknown_key"))
                .isEqualTo(1);
    }

    private PrometheusScrape scrape() {
        return PrometheusScrape.parse(management().get("/observe/metrics").body());
    }

    /** A valid token but for its nbf and iat. */
    private static String timed(long notBefore, long issuedAt) {
        return signed(TRUSTED, "{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"nbf\":" + notBefore
                + ",\"iat\":" + issuedAt + ",\"exp\":" + (Instant.now().getEpochSecond() + 600)
                + ",\"client\":\"partner-7\"}");
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
        String payload = "{\"sub\":\"user-1\",\"iss\":\"" + issuer + "\",\"aud\":\"" + audience + "\",\"iat\":"
                + (now - 5) + ",\"exp\":" + (now + expiresInSeconds)
                + (client == null ? "" : ",\"client\":\"" + client + "\"") + "}";
        return signed(keys, payload);
    }

    /** An RS256 token of this payload, signed with {@code keys}. */
    static String signed(KeyPair keys, String payload) {
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"k1\"}";
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
