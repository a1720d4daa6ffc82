package io.orderpipeline;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import io.orderpipeline.order.Problem;
import io.orderpipeline.support.OrdersClient.Answer;
import io.orderpipeline.support.PipelineTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The OpenAPI document the pipeline serves at /openapi.json is true: real requests to the running pipeline, each
 * answer checked against it (status documented for the operation, headers, body schema) by Atlassian's
 * openapi validator.
 */
class OpenApiContractTest extends PipelineTestSupport {

    private static final String ORDER = """
            {"src_currency": 840, "dst_currency": 978, "description": "contract", "channel": 21}""";

    private OpenApiInteractionValidator validator;
    private final List<String> problems = new ArrayList<>();

    @BeforeEach
    void readTheServedDocument() {
        Answer document = api().get("/openapi.json");
        assertThat(document.status()).isEqualTo(200);
        assertThat(document.contentType()).isEqualTo("application/json");
        assertThat(document.json().get("openapi").asText()).startsWith("3.");
        // by its address, as a client reads it: its Order is the record contract the pipeline serves beside it
        validator = OpenApiInteractionValidator.createForSpecificationUrl(api().baseUrl() + "/openapi.json").build();
    }

    @Test
    void everyAnswerOfTheApiMatchesTheDocument() {
        Answer accepted = check("POST", "/orders", "application/json", ORDER, 200);
        String id = accepted.json().get("id").asText();
        check("POST", "/orders/", "application/json", ORDER, 200);
        check("POST", "/orders", "application/json", "{\"src_currency\": -1, \"dst_currency\": 2, \"channel\": 1}", 400);
        check("POST", "/orders", "application/json", "{not json", 400);
        check("POST", "/orders", "text/plain", ORDER, 415);
        check("POST", "/orders", "application/json", "{\"description\": \"" + "x".repeat(70_000) + "\"}", 413);
        check("PUT", "/orders", "application/json", ORDER, 405);
        check("POST", "/orders/batch", "application/json", "[" + ORDER + "," + ORDER + "]", 200);
        check("POST", "/orders/batch", "application/json", "[" + ORDER + ", {\"channel\": 5}]", 207);
        check("POST", "/orders/batch", "application/json", ORDER, 400);
        String key = "contract-" + UUID.randomUUID();
        check("POST", "/orders", "application/json", ORDER, 200, key);
        check("POST", "/orders", "application/json", ORDER, 200, key);
        check("POST", "/orders", "application/json", ORDER.replace("contract", "another"), 422, key);
        check("POST", "/orders", "application/json", ORDER, 400, " not visible ascii ");

        await().atMost(Duration.ofSeconds(30)).until(() -> api().get("/orders/" + id).status() == 200);
        Answer stored = check("GET", "/orders/" + id, null, null, 200);
        assertThat(stored.json().get("status").asText()).isEqualTo("stored");
        check("GET", "/orders/" + UUID.randomUUID(), null, null, 404);
        check("GET", "/orders/not-a-uuid", null, null, 400);
        check("DELETE", "/orders/" + id, null, null, 405);
        check("POST", "/openapi.json", "application/json", "{}", 405);
        Answer schema = check("GET", "/schemas/order-record.json", null, null, 200);
        assertThat(schema.contentType()).isEqualTo("application/schema+json");
        assertThat(schema.json().get("$id").asText()).isEqualTo("urn:order-pipeline:schema:order-record:1");

        assertThat(problems).isEmpty();
    }

    @Test
    void aDeadLetteredOrderMatchesTheDocument() {
        String key = UUID.randomUUID().toString();
        kafka().send(topic(), key, "{not json".getBytes(StandardCharsets.UTF_8), Map.of());
        await().atMost(Duration.ofSeconds(30)).until(() -> api().get("/orders/" + key).status() == 200);

        Answer deadLettered = check("GET", "/orders/" + key, null, null, 200);
        assertThat(deadLettered.json().get("status").asText()).isEqualTo("dead_lettered");
        assertThat(problems).isEmpty();
    }

    @Test
    void theValidatorCatchesAnAnswerTheDocumentDoesNotDescribe() {
        // the same checks would fail for answers the API does not give: this test can fail
        Request post = SimpleRequest.Builder.post("/orders").withContentType("application/json").withBody(ORDER).build();
        assertThat(validator.validate(post, SimpleResponse.Builder.status(200).withContentType("application/json")
                .withBody("{\"id\": \"" + UUID.randomUUID() + "\"}").build()).hasErrors())
                .as("an order without its fields (the record contract's, which the document refers to)").isTrue();
        assertThat(validator.validate(post, SimpleResponse.Builder.status(200).withContentType("application/json")
                .withBody(("{\"id\": \"%s\", \"src_currency\": 1, \"dst_currency\": 2, \"description\": \"\","
                        + " \"channel\": 7, \"created_at\": \"2026-12-06T10:00:00Z\"}").formatted(UUID.randomUUID()))
                .build()).hasErrors())
                .as("a channel the record contract does not have").isTrue();
        assertThat(validator.validate(post, SimpleResponse.Builder.status(418).withContentType("application/problem+json")
                .withBody(Problem.of(418, "teapot").json()).build()).hasErrors())
                .as("an undocumented status").isTrue();
        assertThat(validator.validate(post, SimpleResponse.Builder.status(400).withContentType("application/problem+json")
                .withBody("{\"error\": \"bad\", \"status\": 400}").build()).hasErrors())
                .as("the error body before problem details").isTrue();
        assertThat(validator.validate(post, SimpleResponse.Builder.status(400).withContentType("application/problem+json")
                .withBody("{\"type\": \"urn:order-pipeline:problem:teapot\", \"title\": \"t\", \"status\": 400,"
                        + " \"detail\": \"d\"}").build()).hasErrors())
                .as("a problem type the document does not list").isTrue();
    }

    /** Sends the request, checks its status, and records what the validator finds wrong with the pair. */
    private Answer check(String method, String path, String contentType, String body, int expectedStatus) {
        return check(method, path, contentType, body, expectedStatus, null);
    }

    private Answer check(String method, String path, String contentType, String body, int expectedStatus,
            String idempotencyKey) {
        byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        Answer answer = (idempotencyKey == null ? api() : api().withHeaders("Idempotency-Key", idempotencyKey))
                .send(method, path, contentType, bytes);
        assertThat(answer.status()).as(method + " " + path + ": " + answer.body()).isEqualTo(expectedStatus);

        // a 405 answers a method the document does not list for the path: check it as the path's documented one's
        String documented = expectedStatus != 405 ? method : path.startsWith("/orders/") ? "GET"
                : path.equals("/orders") ? "POST" : "GET";
        SimpleRequest.Builder request = new SimpleRequest.Builder(documented, path);
        if (contentType != null) {
            request.withContentType(contentType);
        }
        if (body != null) {
            request.withBody(body);
        }
        if (idempotencyKey != null) {
            request.withHeader("Idempotency-Key", idempotencyKey);
        }
        SimpleResponse.Builder response = SimpleResponse.Builder.status(answer.status()).withBody(answer.body());
        answer.headers().map().forEach((name, values) -> response.withHeader(name, values));
        ValidationReport report = validator.validate(request.build(), response.build());
        // the request side is ours to choose (invalid on purpose); the contract is about the answers
        report.getMessages().stream()
                .filter(m -> !m.getKey().startsWith("validation.request"))
                .forEach(m -> problems.add(method + " " + path + " -> " + answer.status() + ": " + m.getMessage()));
        return answer;
    }
}
