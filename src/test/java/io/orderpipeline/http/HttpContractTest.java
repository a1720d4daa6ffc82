package io.orderpipeline.http;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.orderpipeline.support.Orders;
import io.orderpipeline.support.OrdersClient.Answer;
import io.orderpipeline.support.PipelineTestSupport;
import io.orderpipeline.support.RawHttp.Exchange;
import io.orderpipeline.support.RawHttp;
import io.orderpipeline.upstream.AckThreadExecutor;
import io.orderpipeline.upstream.NonBlockingHttpConsumer;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumerAware;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The HTTP contract of both servers where the HTTP stack decides before a route: media types compared without case,
 * HEAD wherever GET is, a stopped route's requests answered 503 instead of falling through to another route, a 413
 * that quotes the limit of the path, and every error of either server, the HTTP decoder's included, JSON.
 */
class HttpContractTest extends PipelineTestSupport {

    private static final Duration QUIET = Duration.ofSeconds(5);
    private static final String ORDER = Orders.json("contract");

    private int port(String key) {
        return Integer.parseInt(property(key));
    }

    /** The shipped routes as they are: an order goes from the event loop to Kafka and back, no worker in between. */
    @Test
    void theShippedOrdersApiRunsOnTheEventLoopAndItsAcknowledgementThread() {
        NonBlockingHttpConsumer api = (NonBlockingHttpConsumer) ((PlatformHttpConsumerAware) context
                .getRoute("orders-api").getConsumer()).getPlatformHttpConsumer();
        assertThat(api.isOnEventLoop()).isTrue();
        assertThat(context.getRegistry().findSingleByType(AckThreadExecutor.class).isHandingOff()).isFalse();
    }

    @Test
    void mediaTypesAreComparedWithoutCase() {
        for (String type : List.of("APPLICATION/JSON", "Application/Json; charset=UTF-8")) {
            Answer answer = api().send("POST", "/orders", type, ORDER.getBytes(StandardCharsets.UTF_8));
            assertThat(answer.status()).as(type + ": " + answer.body()).isEqualTo(200);
        }
    }

    @Test
    void headWorksWhereGetDoes() {
        String id = api().post(ORDER).json().get("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> api().get("/orders/" + id).status() == 200);

        Exchange head = RawHttp.exchange(port("orders.http.port"), "HEAD /orders/" + id
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", QUIET);

        assertThat(head.statuses()).containsExactly(200);
        assertThat(head.lastBody()).as("no body").isEmpty();
    }

    @Test
    void aStoppedRoutesRequestsGet503InsteadOfFallingThroughToAnotherRoute() throws Exception {
        context.getRouteController().stopRoute("orders-batch");
        try {
            Answer answer = api().send("POST", "/orders/batch", "application/json",
                    ("[" + ORDER + "]").getBytes(StandardCharsets.UTF_8));

            assertThat(answer.status()).as(answer.body()).isEqualTo(503);
            assertThat(answer.header("Retry-After")).isNotNull();
            assertThat(answer.problem().get("detail").asText()).contains("orders-batch");
        } finally {
            context.getRouteController().startRoute("orders-batch");
        }
        assertThat(api().send("POST", "/orders/batch", "application/json",
                ("[" + ORDER + "]").getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
    }

    @Test
    void aBodyOverTheServersLimitQuotesTheLimitOfItsPath() {
        long single = Long.parseLong(property("orders.http.max-body-bytes"));
        long batch = Long.parseLong(property("orders.http.max-batch-bytes"));
        byte[] body = ("{\"description\": \"" + "x".repeat((int) batch) + "\"}").getBytes(StandardCharsets.UTF_8);

        Answer order = api().send("POST", "/orders", "application/json", body);
        Answer orders = api().send("POST", "/orders/batch", "application/json", body);

        assertThat(order.status()).isEqualTo(413);
        assertThat(order.problem().get("detail").asText()).contains(String.valueOf(single));
        assertThat(orders.status()).isEqualTo(413);
        assertThat(orders.problem().get("detail").asText()).contains(String.valueOf(batch));
    }

    @Test
    void whatTheHttpDecoderRefusesIsAnsweredInJsonOnBothServers() {
        for (String server : List.of("orders.http.port", "orders.management.port")) {
            int port = port(server);
            Exchange longLine = RawHttp.exchange(port, "GET /" + "a".repeat(10_000)
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", QUIET);
            Exchange bigHeaders = RawHttp.exchange(port, "GET /orders HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
                    + "b".repeat(10_000) + "\r\n\r\n", QUIET);
            Exchange notHttp = RawHttp.exchange(port, "HELLO\r\n\r\n", QUIET);

            assertThat(longLine.statuses()).as(server).containsExactly(414);
            assertThat(bigHeaders.statuses()).as(server).containsExactly(431);
            assertThat(notHttp.statuses()).as(server).containsExactly(400);
            for (Exchange exchange : List.of(longLine, bigHeaders, notHttp)) {
                assertThat(exchange.received()).as(server)
                        .containsIgnoringCase("Content-Type: application/problem+json");
                assertThat(exchange.lastBody()).as(server).startsWith("{\"type\":\"urn:order-pipeline:problem:");
                assertThat(exchange.closed()).as(server).isTrue();
            }
        }
    }

    @Test
    void theManagementServersErrorsAreJson() {
        Answer missing = management().get("/no/such/page");

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.problem().get("detail").asText()).contains("/no/such/page");
    }

    @Test
    void theManagementServerRefusesAnAmbiguousHost() {
        int port = port("orders.management.port");
        Exchange twoHosts = RawHttp.exchange(port, "GET /observe/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Host: evil.example\r\nConnection: close\r\n\r\n", QUIET);
        Exchange otherAuthority = RawHttp.exchange(port, "GET http://evil.example/observe/health HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n", QUIET);
        Exchange sameAuthority = RawHttp.exchange(port, "GET http://127.0.0.1:" + port + "/observe/health HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n", QUIET);

        assertThat(twoHosts.statuses()).containsExactly(400);
        assertThat(otherAuthority.statuses()).containsExactly(400);
        assertThat(sameAuthority.statuses()).containsExactly(200);
    }
}
