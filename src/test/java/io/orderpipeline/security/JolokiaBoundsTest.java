package io.orderpipeline.security;

import java.nio.charset.StandardCharsets;
import java.util.Collections;

import io.orderpipeline.support.OrdersClient.Answer;
import io.orderpipeline.support.PipelineTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jolokia cannot be made to exhaust the pipeline's heap (io.orderpipeline.upstream.BoundedJolokiaPlugin): a POST of
 * many {@code list} requests, each an answer of megabytes, is refused once the answer passes its bound instead of
 * being built whole; a POST carries a bounded number of requests and body; a body that is not a Jolokia request is a
 * 400, not a 500.
 */
class JolokiaBoundsTest extends PipelineTestSupport {

    private static final String LIST = "{\"type\":\"list\"}";
    private static final String VERSION = "{\"type\":\"version\"}";

    private Answer jolokia(String body) {
        return management().send("POST", "/observe/jolokia/", "application/json",
                body.getBytes(StandardCharsets.UTF_8));
    }

    private static String bulk(String request, int times) {
        return "[" + String.join(",", Collections.nCopies(times, request)) + "]";
    }

    @Test
    void oneListIsAnswered() {
        Answer list = jolokia(LIST);

        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("status").asInt()).isEqualTo(200);
        assertThat(list.json().get("value").has("java.lang")).as("the JVM's MBeans are listed").isTrue();
    }

    @Test
    void twentyListsInOnePostAre413InsteadOfAnAnswerOfTensOfMegabytes() {
        int one = jolokia(LIST).body().length();
        long bound = Long.parseLong(property("orders.management.jolokia.max-answer-bytes"));
        assertThat(20L * one).as("twenty lists exceed the bound").isGreaterThan(bound);

        Answer twenty = jolokia(bulk(LIST, 20));

        assertThat(twenty.status()).as(twenty.body()).isEqualTo(413);
        assertThat(twenty.problem().get("detail").asText()).contains(String.valueOf(bound));
        assertThat(twenty.body().length()).isLessThan(1000);
    }

    @Test
    void aBulkRequestIsAnsweredRequestByRequestUpToItsLimit() {
        int max = Integer.parseInt(property("orders.management.jolokia.max-bulk"));

        Answer within = jolokia(bulk(VERSION, max));
        Answer beyond = jolokia(bulk(VERSION, max + 1));

        assertThat(within.status()).isEqualTo(200);
        assertThat(within.json().size()).isEqualTo(max);
        assertThat(within.json().get(max - 1).get("status").asInt()).isEqualTo(200);
        assertThat(beyond.status()).isEqualTo(400);
        assertThat(beyond.problem().get("detail").asText()).contains("at most " + max);
    }

    @Test
    void aBodyThatIsNotAJolokiaRequestIs400() {
        for (String body : new String[] {"", "   ", "not json", "42", "[1,", "{\"type\":\"nonsense\"}"}) {
            Answer answer = jolokia(body);
            assertThat(answer.status()).as("'" + body + "': " + answer.body()).isEqualTo(400);
            assertThat(answer.problem().get("status").asInt()).isEqualTo(400);
        }
    }

    @Test
    void aBodyOverTheManagementServersLimitIs413() {
        int limit = Integer.parseInt(property("orders.management.max-body-bytes"));
        String padded = "{\"type\":\"version\",\"pad\":\"" + "x".repeat(limit) + "\"}";

        Answer answer = jolokia(padded);

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.problem().get("status").asInt()).isEqualTo(413);
    }
}
