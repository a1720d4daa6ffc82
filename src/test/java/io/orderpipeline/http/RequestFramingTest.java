package io.orderpipeline.http;

import java.time.Duration;
import java.util.List;

import io.orderpipeline.platform.http.ConnectionGuard;
import io.orderpipeline.support.LogCapture;
import io.orderpipeline.support.Orders;
import io.orderpipeline.support.PipelineTestSupport;
import io.orderpipeline.support.RawHttp.Exchange;
import io.orderpipeline.support.RawHttp;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a request's body ends is never ambiguous on either server (RFC 9112 §6.1, §6.3): bytes a client sends after a
 * body whose end was in doubt are never run as a request of their own (request smuggling), and a body that breaks the
 * chunked format gets a 400 and a close, not silence and a stack trace in the log. Each request is written byte for
 * byte on a socket, as a client library would not write it.
 */
class RequestFramingTest extends PipelineTestSupport {

    private static final Duration QUIET = Duration.ofSeconds(5);
    private static final String ORDER = Orders.json("framing");

    static final String[] HTTP_LOGGERS = {"io.vertx", "io.netty", "io.orderpipeline", "org.jolokia",
            "org.apache.camel.component.platform.http"};

    private LogCapture log;

    @BeforeAll
    void captureTheLog() {
        log = LogCapture.capture();
    }

    @AfterAll
    void nothingWasLoggedWithAStackTraceAndMalformedBodiesAtMostOnce() {
        log.close();
        // the HTTP stack's loggers and the pipeline's own (other test classes' contexts log in this JVM too)
        List<LogEvent> http = log.under(HTTP_LOGGERS);
        assertThat(http).as("log events with a stack trace").noneMatch(e -> e.getThrown() != null);
        assertThat(http).as("errors in the log").noneMatch(e -> e.getLevel().isMoreSpecificThan(Level.ERROR));
        assertThat(log.of(ConnectionGuard.class)).as("lines about malformed requests (one a minute at most)")
                .hasSizeLessThanOrEqualTo(1);
    }

    /** Each server, with a request the pipeline would run if it got to it: an order, or Jolokia's version. */
    private record Server(String name, int port, String path, String body, String smuggled) {
    }

    private List<Server> servers() {
        int api = Integer.parseInt(property("orders.http.port"));
        int management = Integer.parseInt(property("orders.management.port"));
        return List.of(
                new Server("api", api, "/orders", ORDER, post(api, "/orders", ORDER)),
                new Server("management", management, "/observe/jolokia", "{\"type\":\"version\"}",
                        "GET /observe/jolokia/version HTTP/1.1\r\nHost: 127.0.0.1:" + management + "\r\n\r\n"));
    }

    private static String post(int port, String path, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private static String head(Server server, String... headers) {
        return "POST " + server.path() + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                + "\r\nContent-Type: application/json\r\n" + String.join("\r\n", headers) + "\r\n\r\n";
    }

    private static String chunked(String body) {
        return Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n";
    }

    private long published() {
        return kafka().endOffsets(topic());
    }

    @Test
    void aTransferCodingThatDoesNotEndInChunkedIsRefusedAndWhatFollowsNeverRuns() {
        long before = published();
        for (Server server : servers()) {
            // Netty takes such a request to have no body: its "body" would be the next request
            Exchange exchange = RawHttp.exchange(server.port(), head(server, "Transfer-Encoding: gzip")
                    + server.smuggled(), QUIET);

            assertThat(exchange.statuses()).as(server.name() + ": " + exchange.received()).containsExactly(400);
            assertThat(exchange.closed()).as(server.name() + ": connection closed").isTrue();
            assertThat(exchange.lastBody()).contains("\"status\":400").contains("Transfer-Encoding");
        }
        assertThat(published()).as("records published").isEqualTo(before);
    }

    @Test
    void contentLengthWithChunkedIsReadAsChunkedAndIsTheConnectionsLastRequest() {
        long before = published();
        for (Server server : servers()) {
            // the Content-Length would end the body early; what follows the last chunk is a request of its own
            Exchange exchange = RawHttp.exchange(server.port(), head(server, "Content-Length: 4",
                    "Transfer-Encoding: chunked") + chunked(server.body()) + server.smuggled(), QUIET);

            assertThat(exchange.statuses()).as(server.name() + ": " + exchange.received()).containsExactly(200);
            assertThat(exchange.closed()).as(server.name() + ": connection closed").isTrue();
        }
        assertThat(published()).as("records published: the chunked order, not the one behind it")
                .isEqualTo(before + 1);
    }

    @Test
    void aPlainlyChunkedRequestIsServedAndTheConnectionClosesAfterIt() {
        long before = published();
        for (Server server : servers()) {
            Exchange exchange = RawHttp.exchange(server.port(), head(server, "Transfer-Encoding: chunked")
                    + chunked(server.body()) + server.smuggled(), QUIET);

            assertThat(exchange.statuses()).as(server.name() + ": " + exchange.received()).containsExactly(200);
            assertThat(exchange.received()).containsIgnoringCase("Connection: close");
            assertThat(exchange.closed()).as(server.name() + ": connection closed").isTrue();
        }
        assertThat(published()).isEqualTo(before + 1);
    }

    @Test
    void codingsOtherThanChunkedAreRefused() {
        long before = published();
        for (Server server : servers()) {
            for (String codings : List.of("gzip, chunked", "chunked, chunked", "chunked, gzip")) {
                Exchange exchange = RawHttp.exchange(server.port(), head(server, "Transfer-Encoding: " + codings)
                        + chunked(server.body()), QUIET);

                assertThat(exchange.statuses()).as(server.name() + ", " + codings + ": " + exchange.received())
                        .containsExactly(400);
                assertThat(exchange.closed()).as(server.name() + ", " + codings + ": closed").isTrue();
            }
        }
        assertThat(published()).isEqualTo(before);
    }

    @Test
    void aChunkSizeThatIsNotHexNegativeOrBeyond64BitsGets400AndAClose() {
        long before = published();
        for (Server server : servers()) {
            for (String size : List.of("zz", "-1", "1ffffffffffffffffff", "")) {
                Exchange exchange = RawHttp.exchange(server.port(), head(server, "Transfer-Encoding: chunked")
                        + size + "\r\n" + server.body() + "\r\n0\r\n\r\n" + server.smuggled(), QUIET);

                assertThat(exchange.statuses()).as(server.name() + ", size '" + size + "': " + exchange.received())
                        .containsExactly(400);
                assertThat(exchange.closed()).as(server.name() + ", size '" + size + "': closed").isTrue();
                assertThat(exchange.lastBody()).contains("\"status\":400");
            }
        }
        assertThat(published()).isEqualTo(before);
    }
}
