package io.orderpipeline.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A plain HTTP client for the orders API, as a user of the pipeline would call it. */
public final class OrdersClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** one for every test of the JVM: each HttpClient has a selector thread and connections of its own */
    private static final HttpClient SHARED = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final HttpClient http;
    private final String baseUrl;
    private final String[] headers;

    public OrdersClient(String baseUrl) {
        this(SHARED, baseUrl);
    }

    /** A client over the given HttpClient (e.g. one that trusts a test certificate). */
    public OrdersClient(HttpClient http, String baseUrl, String... headers) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.headers = headers;
    }

    /** The same client, sending these headers (name, value, name, value ...) with every request. */
    public OrdersClient withHeaders(String... namesAndValues) {
        return new OrdersClient(http, baseUrl, namesAndValues);
    }

    /** The same client, authenticating with {@code Authorization: Bearer <token>}. */
    public OrdersClient withBearer(String token) {
        return withHeaders("Authorization", "Bearer " + token);
    }

    public Answer get(String path) {
        return send("GET", path, null, null);
    }

    /**
     * Waits (up to a minute) until this management server's readiness, {@code /observe/health/ready}, answers the
     * status: 200 ready, 503 not.
     */
    public Answer awaitReadiness(int status) {
        return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250)).until(() -> get("/observe/health/ready?exposureLevel=full"),
                        answer -> answer.status() == status);
    }

    public record Answer(int status, String contentType, String body, java.net.http.HttpHeaders headers) {
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("response is not JSON: " + body, e);
            }
        }

        /** The error answer, checked to be a problem (application/problem+json) of its status as documented. */
        public JsonNode problem() {
            org.assertj.core.api.Assertions.assertThat(contentType).as("content type of %d %s", status, body)
                    .isEqualTo("application/problem+json");
            return ProblemTypes.check(status, json());
        }
    }

    public String baseUrl() {
        return baseUrl;
    }

    public Answer post(String json) {
        return send("POST", "/orders", "application/json", json == null ? new byte[0] : json.getBytes());
    }

    public Answer send(String method, String path, String contentType, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(null), response.body(), response.headers());
        } catch (Exception e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        }
    }
}
