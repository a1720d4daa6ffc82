package io.orderpipeline;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.orderpipeline.support.OrdersClient.Answer;
import io.orderpipeline.support.PipelineTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * A corpus of bad requests: every one is answered with a 4xx JSON error that says what is wrong, and none of them
 * puts anything on the orders topic.
 */
class RejectedOrdersTest extends PipelineTestSupport {

    private static final String JSON = "application/json";
    private static final String VALID_REST = "\"dst_currency\": 2, \"description\": \"d\", \"channel\": 1";

    static Stream<Arguments> badRequests() {
        List<Arguments> cases = new ArrayList<>();
        // broken and truncated JSON
        cases.add(bad("truncated object", JSON, "{\"src_currency\": 1", 400, "malformed JSON"));
        cases.add(bad("only an opening brace", JSON, "{", 400, "malformed JSON"));
        cases.add(bad("only a closing brace", JSON, "}", 400, "malformed JSON"));
        cases.add(bad("missing value", JSON, "{\"src_currency\": }", 400, "malformed JSON"));
        cases.add(bad("single quotes", JSON, "{'src_currency': 1}", 400, "malformed JSON"));
        cases.add(bad("trailing comma", JSON, "{\"src_currency\": 1, " + VALID_REST + ",}", 400, "malformed JSON"));
        cases.add(bad("leading zero", JSON, "{\"src_currency\": 01, " + VALID_REST + "}", 400, "malformed JSON"));
        cases.add(bad("two documents", JSON, "{\"src_currency\": 1, " + VALID_REST + "} {}", 400, "malformed JSON"));
        cases.add(bad("duplicate key", JSON, "{\"src_currency\": 1, \"src_currency\": 2, " + VALID_REST + "}",
                400, "malformed JSON"));
        cases.add(bad("NaN", JSON, "{\"src_currency\": NaN, " + VALID_REST + "}", 400, "malformed JSON"));
        cases.add(bad("bare word", JSON, "nul", 400, "malformed JSON"));
        cases.add(bad("unterminated string", JSON, "{\"description\": \"abc", 400, "malformed JSON"));
        cases.add(bad("invalid UTF-8", JSON, new byte[] {'{', '"', (byte) 0xff, (byte) 0xfe, '"', ':', '1', '}'},
                400, "malformed JSON"));
        // JSON, but not an object
        cases.add(bad("array", JSON, "[]", 400, "expected a JSON object"));
        cases.add(bad("string", JSON, "\"order\"", 400, "expected a JSON object"));
        cases.add(bad("number", JSON, "42", 400, "expected a JSON object"));
        cases.add(bad("null", JSON, "null", 400, "expected a JSON object"));
        cases.add(bad("boolean", JSON, "true", 400, "expected a JSON object"));
        // wrong types and missing fields
        cases.add(bad("currency as string", JSON, "{\"src_currency\": \"1\", " + VALID_REST + "}", 400, "src_currency"));
        cases.add(bad("currency as fraction", JSON, "{\"src_currency\": 1.5, " + VALID_REST + "}", 400, "src_currency"));
        cases.add(bad("currency in exponent form", JSON, "{\"src_currency\": 1e3, " + VALID_REST + "}", 400,
                "src_currency"));
        cases.add(bad("currency as boolean", JSON, "{\"src_currency\": true, " + VALID_REST + "}", 400, "src_currency"));
        cases.add(bad("currency as object", JSON, "{\"src_currency\": {}, " + VALID_REST + "}", 400, "src_currency"));
        cases.add(bad("currency null", JSON, "{\"src_currency\": null, " + VALID_REST + "}", 400,
                "src_currency is required"));
        cases.add(bad("empty object", JSON, "{}", 400, "src_currency is required"));
        cases.add(bad("missing dst_currency", JSON, "{\"src_currency\": 1, \"channel\": 1}", 400,
                "dst_currency is required"));
        cases.add(bad("missing channel", JSON, "{\"src_currency\": 1, \"dst_currency\": 1}", 400,
                "channel is required"));
        cases.add(bad("channel as string", JSON, "{\"src_currency\": 1, \"dst_currency\": 1, \"channel\": \"1\"}",
                400, "channel must be one of"));
        cases.add(bad("channel as fraction", JSON, "{\"src_currency\": 1, \"dst_currency\": 1, \"channel\": 1.0}",
                400, "channel must be one of"));
        cases.add(bad("description as number", JSON,
                "{\"src_currency\": 1, \"dst_currency\": 1, \"channel\": 1, \"description\": 42}", 400,
                "description must be a string"));
        cases.add(bad("description as array", JSON,
                "{\"src_currency\": 1, \"dst_currency\": 1, \"channel\": 1, \"description\": [\"a\"]}", 400,
                "description must be a string"));
        // out of range
        cases.add(bad("negative currency", JSON, "{\"src_currency\": -1, " + VALID_REST + "}", 400, "non-negative"));
        cases.add(bad("negative dst currency", JSON, "{\"src_currency\": 1, \"dst_currency\": -5, \"channel\": 1}",
                400, "non-negative"));
        cases.add(bad("currency beyond bigint", JSON, "{\"src_currency\": 9223372036854775808, " + VALID_REST + "}",
                400, "no larger than 9223372036854775807"));
        cases.add(bad("currency with 40 digits", JSON,
                "{\"src_currency\": 1234567890123456789012345678901234567890, " + VALID_REST + "}", 400,
                "malformed JSON"));
        cases.add(bad("unknown channel", JSON, "{\"src_currency\": 1, \"dst_currency\": 1, \"channel\": 5}", 400,
                "channel must be one of"));
        cases.add(bad("negative channel", JSON, "{\"src_currency\": 1, \"dst_currency\": 1, \"channel\": -1}", 400,
                "channel must be one of"));
        cases.add(bad("channel beyond int", JSON,
                "{\"src_currency\": 1, \"dst_currency\": 1, \"channel\": 4294967297}", 400, "channel must be one of"));
        // strings PostgreSQL cannot store, or too long
        cases.add(bad("description too long", JSON,
                "{\"src_currency\": 1, \"dst_currency\": 1, \"channel\": 1, \"description\": \"" + "x".repeat(1025)
                        + "\"}", 400, "at most 1024 characters"));
        cases.add(bad("NUL in description", JSON,
                "{\"src_currency\": 1, \"dst_currency\": 1, \"channel\": 1, \"description\": \"a\\u0000b\"}", 400,
                "NUL"));
        // characters that rewrite what a terminal or log viewer shows
        cases.add(bad("ESC in description", JSON,
                "{\"src_currency\": 1, \"dst_currency\": 1, \"channel\": 1, \"description\": \"a\\u001b[2Jb\"}", 400,
                "U+001B"));
        cases.add(bad("DEL in description", JSON,
                "{\"src_currency\": 1, \"dst_currency\": 1, \"channel\": 1, \"description\": \"a\\u007fb\"}", 400,
                "U+007F"));
        cases.add(bad("C1 control in description", JSON,
                "{\"src_currency\": 1, \"dst_currency\": 1, \"channel\": 1, \"description\": \"a\\u009bb\"}", 400,
                "U+009B"));
        cases.add(bad("bidi override in description", JSON,
                "{\"src_currency\": 1, \"dst_currency\": 1, \"channel\": 1, \"description\": \"a\\u202eb\"}", 400,
                "U+202E"));
        cases.add(bad("bidi isolate in description", JSON,
                "{\"src_currency\": 1, \"dst_currency\": 1, \"channel\": 1, \"description\": \"a\\u2066b\"}", 400,
                "U+2066"));
        cases.add(bad("unpaired surrogate in description", JSON,
                "{\"src_currency\": 1, \"dst_currency\": 1, \"channel\": 1, \"description\": \"a\\ud800b\"}", 400,
                "surrogate"));
        // deep nesting, even in a field that would be ignored
        cases.add(bad("deep nesting", JSON, "{\"src_currency\": 1, " + VALID_REST + ", \"x\": "
                + "[".repeat(200) + "]".repeat(200) + "}", 400, "nesting depth"));
        // empty
        cases.add(bad("empty body", JSON, "", 400, "empty"));
        cases.add(bad("whitespace body", JSON, "   \n ", 400, "empty"));
        // media type
        cases.add(bad("no content type", null, "{\"src_currency\": 1, " + VALID_REST + "}", 415, "Content-Type"));
        cases.add(bad("text/plain", "text/plain", "{\"src_currency\": 1, " + VALID_REST + "}", 415, "text/plain"));
        cases.add(bad("xml", "application/xml", "<order/>", 415, "Content-Type"));
        cases.add(bad("form", "application/x-www-form-urlencoded", "src_currency=1&dst_currency=2&channel=1", 415,
                "Content-Type"));
        cases.add(bad("json look-alike", "application/jsonx", "{}", 415, "Content-Type"));
        // size
        cases.add(bad("oversized body", JSON, "{\"description\": \"" + "x".repeat(70_000) + "\"}", 413, "too large"));
        cases.add(bad("oversized padding", JSON, "{\"src_currency\": 1, " + VALID_REST + "}" + " ".repeat(66_000),
                413, "too large"));
        // method and path
        cases.add(arguments("GET", "GET", "/orders", null, null, 405, "GET"));
        cases.add(arguments("PUT", "PUT", "/orders", JSON, "{}".getBytes(), 405, "PUT"));
        cases.add(arguments("DELETE", "DELETE", "/orders", null, null, 405, "DELETE"));
        cases.add(arguments("PATCH", "PATCH", "/orders/", JSON, "{}".getBytes(), 405, "PATCH"));
        cases.add(arguments("unknown path", "POST", "/order", JSON, "{}".getBytes(), 404, "no such resource"));
        return cases.stream();
    }

    private static Arguments bad(String name, String contentType, String body, int status, String errorMentions) {
        return bad(name, contentType, body.getBytes(StandardCharsets.UTF_8), status, errorMentions);
    }

    private static Arguments bad(String name, String contentType, byte[] body, int status, String errorMentions) {
        return arguments(name, "POST", "/orders", contentType, body, status, errorMentions);
    }

    @ParameterizedTest(name = "{0} -> {5}")
    @MethodSource("badRequests")
    void isAnsweredWithAProblemAndNotPublished(String name, String method, String path, String contentType,
            byte[] body, int status, String errorMentions) {
        Answer answer = api().send(method, path, contentType, body);

        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.problem().get("detail").asText()).contains(errorMentions);
    }

    @AfterAll
    void nothingReachedTheTopic() {
        assertThat(badRequests().count()).isGreaterThanOrEqualTo(40);
        assertThat(kafka().endOffsets(topic())).isZero();
    }
}
