package io.orderpipeline.http;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.orderpipeline.support.LogCapture;
import io.orderpipeline.support.PipelineTestSupport;
import io.orderpipeline.support.RawHttp;
import io.orderpipeline.support.RawHttp.Exchange;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A corpus of malformed requests, each written byte for byte to both servers: every one is answered or its connection
 * closed within a few seconds, none gets a 5xx, none leaves a stack trace or an error in the log, and nothing is
 * published.
 */
class MalformedRequestCorpusTest extends PipelineTestSupport {

    private static final Duration QUIET = Duration.ofSeconds(5);
    private static final String BAD_ORDER = "{\"src_currency\": 1, \"dst_currency\": \"two\", \"channel\": 1}";

    /** Name to request, for a server whose requests go to {@code path}. */
    private static Map<String, String> corpus(String path) {
        // each asks for the connection to close after its answer: what stays open was not answered
        String post = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
        String get = "GET " + path + " HTTP/1.1\r\nConnection: close\r\n";
        Map<String, String> corpus = new LinkedHashMap<>();
        corpus.put("unknown transfer coding, body run as a request",
                post + "Transfer-Encoding: gzip\r\n\r\nGET /observe/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        corpus.put("Content-Length and chunked", post + "Content-Type: application/json\r\nContent-Length: 3\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n" + chunk(BAD_ORDER) + "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        corpus.put("chunked, then gzip", post + "Transfer-Encoding: chunked, gzip\r\n\r\n" + chunk(BAD_ORDER));
        corpus.put("two Transfer-Encoding headers", post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: x\r\n\r\n"
                + chunk(BAD_ORDER));
        corpus.put("chunk size not hex", post + "Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n");
        corpus.put("chunk size negative", post + "Transfer-Encoding: chunked\r\n\r\n-5\r\nabc\r\n0\r\n\r\n");
        corpus.put("chunk size beyond 64 bits",
                post + "Transfer-Encoding: chunked\r\n\r\n1ffffffffffffffffffff\r\nabc\r\n0\r\n\r\n");
        corpus.put("two different Content-Lengths", post + "Content-Type: application/json\r\nContent-Length: 2\r\n"
                + "Content-Length: 5\r\n\r\n{}");
        corpus.put("Content-Length not a number", post + "Content-Length: ten\r\n\r\n{}");
        corpus.put("Content-Length negative", post + "Content-Length: -1\r\n\r\n{}");
        corpus.put("request line too long", "GET /" + "a".repeat(10_000)
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        corpus.put("headers too large", get + "Host: 127.0.0.1\r\nX: " + "b".repeat(10_000) + "\r\n\r\n");
        corpus.put("not HTTP", "\u0016\u0003\u0001\u0000\u00a5hello\r\n\r\n");
        corpus.put("control character in a header", get + "Host: 127.0.0.1\r\nX-A: a\u0000b\r\n\r\n");
        corpus.put("header without a colon", get + "Host: 127.0.0.1\r\nnocolon\r\n\r\n");
        corpus.put("HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
        corpus.put("two Host headers", get + "Host: 127.0.0.1\r\nHost: evil.example\r\n\r\n");
        corpus.put("absolute target, other host", "GET http://evil.example" + path
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        corpus.put("a body that is not JSON",
                post + "Content-Type: application/json\r\nContent-Length: 5\r\n\r\nhello");
        corpus.put("an invalid order", post + "Content-Type: application/json\r\nContent-Length: "
                + BAD_ORDER.length() + "\r\n\r\n" + BAD_ORDER);
        corpus.put("an empty body", post + "Content-Type: application/json\r\nContent-Length: 0\r\n\r\n");
        corpus.put("Idempotency-Key: null on an invalid order", post + "Content-Type: application/json\r\n"
                + "Idempotency-Key: null\r\nContent-Length: " + BAD_ORDER.length() + "\r\n\r\n" + BAD_ORDER);
        return corpus;
    }

    private static String chunk(String body) {
        return Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n";
    }

    @Test
    void everyMalformedRequestIsAnsweredOrClosedWithoutA5xxAStackTraceOrAPublish() {
        long published = kafka().endOffsets(topic());
        try (LogCapture log = LogCapture.capture()) {
            for (String server : new String[] {"orders.http.port", "orders.management.port"}) {
                int port = Integer.parseInt(property(server));
                String path = server.contains("management") ? "/observe/jolokia" : "/orders";
                corpus(path).forEach((name, request) -> {
                    Exchange exchange = RawHttp.exchange(port, request, QUIET);
                    String what = server + ", " + name + ": " + exchange.received();

                    assertThat(exchange.closed()).as("closed within %s: %s", QUIET, what).isTrue();
                    assertThat(exchange.statuses()).as(what).allMatch(status -> status < 500);
                });
            }
            // the HTTP stack's loggers and the pipeline's own (other test classes' contexts log in this JVM too)
            List<LogEvent> http = log.under(RequestFramingTest.HTTP_LOGGERS);
            assertThat(http).as("log events with a stack trace").noneMatch(e -> e.getThrown() != null);
            assertThat(http).as("errors in the log").noneMatch(e -> e.getLevel().isMoreSpecificThan(Level.ERROR));
        }
        assertThat(kafka().endOffsets(topic())).as("records published").isEqualTo(published);
    }
}
