package io.orderpipeline;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import io.orderpipeline.support.EmbeddedServices;
import io.orderpipeline.support.FaultReport;
import io.orderpipeline.support.JarProcess;
import io.orderpipeline.support.LoadGenerator;
import io.orderpipeline.support.OrdersClient.Answer;
import io.orderpipeline.support.OrdersClient;
import io.orderpipeline.support.PrometheusScrape;
import io.orderpipeline.support.ServicesProcess;
import io.orderpipeline.support.TopicReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.Isolated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged jar at its edges, over real sockets: clients that send slowly or not at all, more connections than
 * allowed, a client over its rate limit, text that would forge log lines, and a broker frozen with SIGSTOP under
 * load. The broker and database run in their own {@code services} process, so that freezing it freezes Kafka only
 * (PostgreSQL runs in processes of its own). What each test measured goes to target/edge-figures.md.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Isolated("its figures are timings: nothing else runs meanwhile")
class EdgeResilienceIT {

    private static final Duration STARTUP = Duration.ofSeconds(120);
    private static final int REQUEST_TIMEOUT_SECONDS = 2;
    private static final int IDLE_TIMEOUT_SECONDS = 3;
    private static final int MAX_CONNECTIONS = 300;
    private static final int RATE_LIMIT_PER_SECOND = 5;
    private static final int RATE_LIMIT_BURST = 20;
    private static final long DELIVERY_TIMEOUT_MS = 5000; // the shipped orders.kafka.delivery-timeout-ms

    private static ServicesProcess services;
    private static JarProcess pipeline;
    private static JarProcess limited;
    private static String brokers;
    private static int port;
    private static int managementPort;
    private static int limitedPort;

    @BeforeAll
    static void start() throws Exception {
        services = ServicesProcess.start("edge", STARTUP);
        brokers = services.brokers();

        port = EmbeddedServices.freePort();
        managementPort = EmbeddedServices.freePort();
        Map<String, String> env = env("edge", port);
        env.put("ORDERS_MANAGEMENT_PORT", String.valueOf(managementPort));
        env.put("ORDERS_HTTP_REQUEST_TIMEOUT_SECONDS", String.valueOf(REQUEST_TIMEOUT_SECONDS));
        env.put("ORDERS_HTTP_IDLE_TIMEOUT_SECONDS", String.valueOf(IDLE_TIMEOUT_SECONDS));
        env.put("ORDERS_HTTP_MAX_CONNECTIONS", String.valueOf(MAX_CONNECTIONS));
        // the total cap is what is measured here: all of this test's connections come from one address
        env.put("ORDERS_HTTP_MAX_CONNECTIONS_PER_ADDRESS", String.valueOf(MAX_CONNECTIONS));
        pipeline = JarProcess.start("edge-pipeline", env);

        limitedPort = EmbeddedServices.freePort();
        Map<String, String> limitedEnv = env("limited", limitedPort);
        limitedEnv.put("ORDERS_HTTP_RATE_LIMIT_PER_SECOND", String.valueOf(RATE_LIMIT_PER_SECOND));
        limitedEnv.put("ORDERS_HTTP_RATE_LIMIT_BURST", String.valueOf(RATE_LIMIT_BURST));
        limited = JarProcess.start("edge-rate-limited", limitedEnv);

        pipeline.awaitOutput("is running", STARTUP);
        limited.awaitOutput("is running", STARTUP);
    }

    private static Map<String, String> env(String name, int httpPort) {
        return services.pipelineEnv(name, httpPort);
    }

    @AfterAll
    static void stop() throws Exception {
        for (JarProcess process : new JarProcess[] {limited, pipeline}) {
            if (process != null) {
                process.close();
            }
        }
        if (services != null) {
            services.close();
        }
    }

    private static OrdersClient api() {
        return new OrdersClient("http://127.0.0.1:" + port);
    }

    @Test
    @Order(1)
    void stalledTricklingAndBodilessClientsAreCutOffWhileOrdersKeepBeingAnswered() throws Exception {
        assertThat(api().post(order("warm-up")).status()).isEqualTo(200);
        long opened = System.nanoTime();
        List<Socket> partialHeaders = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            partialHeaders.add(open("POST /orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty"));
        }
        List<Socket> bodiless = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            bodiless.add(open("POST /orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 65536\r\n\r\n{\"src_"));
        }
        // the management server keeps the same deadlines: a Jolokia POST whose body never comes gets 408
        Socket managementBodiless = open(managementPort, "POST /observe/jolokia/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n[{\"type\":");
        List<Trickler> tricklers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            tricklers.add(new Trickler(port));
        }
        long slowestOrderMs = 0;
        int answered = 0;
        // orders while the stalled connections are held (until just before the request timeout), over one kept-alive
        // connection: a client per order would leave a connection open per order until the idle timeout, and past
        // the cap of 300 the server closes new ones at once
        OrdersClient client = api();
        while (System.nanoTime() - opened < Duration.ofMillis(REQUEST_TIMEOUT_SECONDS * 1000L - 500).toNanos()) {
            long start = System.nanoTime();
            Answer answer = client.post(order("while stalled"));
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            slowestOrderMs = Math.max(slowestOrderMs, (System.nanoTime() - start) / 1_000_000);
            answered++;
        }

        long deadline = opened + Duration.ofSeconds(REQUEST_TIMEOUT_SECONDS + 1).toNanos();
        int headersCut = 0;
        for (Socket socket : partialHeaders) {
            String answer = readUntilClosed(socket, deadline);
            assertThat(answer).as("a connection without complete headers gets no answer, it is closed").isEmpty();
            headersCut++;
        }
        int bodiesTimedOut = 0;
        for (Socket socket : bodiless) {
            String answer = readUntilClosed(socket, deadline);
            assertThat(answer).startsWith("HTTP/1.1 408").contains("\"status\":408");
            bodiesTimedOut++;
        }
        String managementAnswer = readUntilClosed(managementBodiless, deadline);
        assertThat(managementAnswer).as("management server").startsWith("HTTP/1.1 408").contains("\"status\":408");
        long trickleCut = 0;
        for (Trickler trickler : tricklers) {
            trickleCut = Math.max(trickleCut, trickler.awaitClosedMillis());
            assertThat(trickler.firstAnswer).startsWith("HTTP/1.1 200");
        }
        assertThat(trickleCut).as("a connection trickling a byte every 300 ms after its answer is closed")
                .isLessThan((IDLE_TIMEOUT_SECONDS + 2) * 1000L);
        FaultReport.edge("stalled clients (request timeout " + REQUEST_TIMEOUT_SECONDS + " s, idle "
                + IDLE_TIMEOUT_SECONDS + " s)", headersCut + " of 200 partial-header connections and " + bodiesTimedOut
                + " of 20 body-less requests (408) closed within " + (REQUEST_TIMEOUT_SECONDS + 1) + " s; 5 trickling"
                + " connections closed " + trickleCut + " ms after their answer at most; " + answered
                + " orders answered 200 meanwhile, slowest " + slowestOrderMs + " ms");
    }

    @Test
    @Order(2)
    void beyondMaxConnectionsNewConnectionsAreClosedAtOnceAndOpenOnesAreServed() throws Exception {
        // the earlier tests' connections close once idle; then these are all the connections there are
        await().atMost(Duration.ofSeconds(IDLE_TIMEOUT_SECONDS + 5)).until(() -> openApiConnections() == 0);
        double refusedBefore = apiMetrics().sum("http_connections_refused_total", "server", "api");
        List<Socket> first = new ArrayList<>();
        for (int i = 0; i < MAX_CONNECTIONS; i++) {
            first.add(new Socket("127.0.0.1", port));
        }
        // the server's event loops take these in their own order: the cap is full once it has counted them all
        await().atMost(Duration.ofSeconds(REQUEST_TIMEOUT_SECONDS)).pollInterval(Duration.ofMillis(20))
                .until(() -> openApiConnections() == MAX_CONNECTIONS);
        int refused = 0;
        long slowestRefusalMs = 0;
        for (int i = 0; i < 20; i++) {
            long start = System.nanoTime();
            try (Socket extra = new Socket("127.0.0.1", port)) {
                extra.setSoTimeout(1000);
                try {
                    assertThat(extra.getInputStream().read()).as("closed without an answer").isEqualTo(-1);
                    refused++;
                } catch (SocketTimeoutException e) {
                    // still open after a second: not refused
                } catch (IOException e) {
                    refused++; // reset
                }
            }
            slowestRefusalMs = Math.max(slowestRefusalMs, (System.nanoTime() - start) / 1_000_000);
        }
        int openAfter = openApiConnections();
        double refusedCounted = apiMetrics().sum("http_connections_refused_total", "server", "api") - refusedBefore;
        Socket served = first.get(0);
        served.getOutputStream().write(("POST /orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
                + "\r\nConnection: close\r\nContent-Length: " + order("held").length() + "\r\n\r\n" + order("held"))
                .getBytes(StandardCharsets.UTF_8));
        String answer = readUntilClosed(served, System.nanoTime() + Duration.ofSeconds(10).toNanos());
        for (Socket socket : first) {
            socket.close();
        }

        assertThat(refused).as("connections beyond " + MAX_CONNECTIONS + " closed at once; open: " + openAfter)
                .isEqualTo(20);
        assertThat(answer).startsWith("HTTP/1.1 200");
        await().atMost(Duration.ofSeconds(10)).until(() -> api().post(order("after the flood")).status() == 200);
        // the connection metrics saw it: the cap's worth open, every refusal counted
        assertThat(openAfter).as("http_connections_open while the cap was full").isEqualTo(MAX_CONNECTIONS);
        assertThat(refusedCounted).as("http_connections_refused_total").isEqualTo(20);
        FaultReport.edge("connection cap (" + MAX_CONNECTIONS + ")", refused + " of 20 connections beyond the cap"
                + " closed without an answer, within " + slowestRefusalMs + " ms; an open one answered 200");
    }

    @Test
    @Order(3)
    void wrongMethodsAndMediaTypesAreRefusedBeforeTheBodyAndHttp2CleartextIsOff() throws Exception {
        long start = System.nanoTime();
        Socket put = open("PUT /orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 65536\r\n\r\n");
        String putAnswer = readHead(put);
        Socket text = open("POST /orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 65536\r\n\r\n");
        String textAnswer = readHead(text);
        long bothMs = (System.nanoTime() - start) / 1_000_000;
        put.close();
        text.close();
        assertThat(putAnswer).startsWith("HTTP/1.1 405").containsIgnoringCase("Allow: POST");
        assertThat(textAnswer).startsWith("HTTP/1.1 415");
        assertThat(bothMs).as("answered without waiting for the body").isLessThan(REQUEST_TIMEOUT_SECONDS * 1000L);

        HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        HttpResponse<String> upgraded = h2.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/orders")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(order("h2c"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(upgraded.version()).as("no upgrade to HTTP/2 cleartext").isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(upgraded.statusCode()).isEqualTo(200);
        Socket priorKnowledge = open("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
        String preface = readUntilClosed(priorKnowledge, System.nanoTime() + Duration.ofSeconds(5).toNanos());
        assertThat(preface).as("no HTTP/2 with prior knowledge either").doesNotStartWith("\u0000");
        FaultReport.edge("refused before the body", "405 and 415 for 64 KiB bodies never sent, answered in " + bothMs
                + " ms; h2c upgrade answered as HTTP/1.1, prior-knowledge preface answered '"
                + preface.lines().findFirst().orElse("(closed)") + "'");
    }

    @Test
    @Order(4)
    void controlCharactersAreRefusedAndAForgedKeyIsLoggedAsOneLine() throws Exception {
        Answer escape = api().post("{\"src_currency\": 1, \"dst_currency\": 2, \"channel\": 1, "
                + "\"description\": \"\\u001b[31mred\"}");
        Answer bidi = api().post("{\"src_currency\": 1, \"dst_currency\": 2, \"channel\": 1, "
                + "\"description\": \"abc\\u202edcba\"}");
        assertThat(escape.status()).isEqualTo(400);
        assertThat(escape.json().get("field").asText()).isEqualTo("description");
        assertThat(bidi.status()).isEqualTo(400);
        assertThat(bidi.json().get("field").asText()).isEqualTo("description");

        String marker = UUID.randomUUID().toString();
        new TopicReader(brokers).send("orders-edge", "forged\nINJECTED " + marker + " INFO all good",
                "{not json".getBytes(StandardCharsets.UTF_8), Map.of());
        await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.output().contains(marker));
        List<String> lines = pipeline.output().lines().filter(l -> l.contains(marker)).toList();
        assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line)
                .doesNotStartWith("INJECTED").contains("forged\\nINJECTED"));
        FaultReport.edge("clean text", "ESC and U+202E descriptions refused (400, field description); a record key"
                + " with a newline logged on " + lines.size() + " line(s), each with the newline written as \\n");
    }

    @Test
    @Order(5)
    void aClientOverItsRateLimitGets429AndNothingOfItIsPublished() {
        OrdersClient client = new OrdersClient("http://127.0.0.1:" + limitedPort);
        int accepted = 0;
        int limitedCount = 0;
        long start = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            Answer answer = client.post(order("limited"));
            if (answer.status() == 200) {
                accepted++;
            } else {
                assertThat(answer.status()).isEqualTo(429);
                assertThat(Integer.parseInt(answer.header("Retry-After"))).isPositive();
                assertThat(answer.problem().get("status").asInt()).isEqualTo(429);
                limitedCount++;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long published = new TopicReader(brokers).endOffsets("orders-limited");

        // a full bucket and what it refilled while the requests were sent, however fast this client was
        long allowed = RATE_LIMIT_BURST + (long) Math.ceil(RATE_LIMIT_PER_SECOND * seconds);
        assertThat(accepted).as("accepted in %.1f s at %d/s with a burst of %d", seconds, RATE_LIMIT_PER_SECOND,
                RATE_LIMIT_BURST).isLessThanOrEqualTo((int) Math.min(100, allowed));
        assertThat(limitedCount).isEqualTo(100 - accepted);
        assertThat(published).as("only the accepted orders reach the topic").isEqualTo(accepted);
        FaultReport.edge("rate limit (5/s, burst 20, by address)", "100 POSTs at once: " + accepted + " accepted, "
                + limitedCount + " answered 429 with Retry-After; " + published + " records on the topic");
    }

    @Test
    @Order(6)
    void aFrozenBrokerGets503sInTimeReadinessDownAndNothingAcknowledgedIsLost() throws Exception {
        OrdersClient management = new OrdersClient("http://127.0.0.1:" + managementPort);
        LoadGenerator.Result result;
        long slowest;
        AtomicBoolean sawDown = new AtomicBoolean();
        try (LoadGenerator load = new LoadGenerator("http://127.0.0.1:" + port, 4)) {
            load.awaitAcknowledged(300, Duration.ofSeconds(60));
            load.fault();
            services.process().signal("STOP");
            try {
                long frozen = System.nanoTime();
                while (System.nanoTime() - frozen < Duration.ofSeconds(15).toNanos()) {
                    if (management.get("/observe/health/ready").status() == 503) {
                        sawDown.set(true);
                    }
                    Thread.sleep(500);
                }
            } finally {
                services.process().signal("CONT");
                load.recovered();
            }
            management.awaitReadiness(200);
            load.awaitAcknowledged(300, Duration.ofSeconds(60));
            load.stop();
            result = load.result();
            slowest = load.slowestRejectionMillis();
        }
        assertThat(sawDown).as("readiness DOWN while the broker is frozen").isTrue();
        Map<String, Long> outcomes = result.outcomes();
        assertThat(outcomes).containsKey("503").as("every request answered").doesNotContainKey("no answer");
        assertThat(slowest).as("every refusal within the delivery timeout and its grace")
                .isLessThanOrEqualTo(DELIVERY_TIMEOUT_MS + LoadGenerator.REFUSAL_GRACE_MILLIS);
        assertThat(pipeline.output()).doesNotContain("Thread blocked").doesNotContain("has been blocked for")
                .as("closing stalled connections is not an error").doesNotContain("Unhandled exception");
        FaultReport.Figures figures = FaultReport.verify("broker frozen 15 s (SIGSTOP)", result,
                services.pipeline(env("edge", port)));
        assertThat(figures.phases().leastInFlight()).as("requests in flight when the broker froze").isPositive();
        assertThat(figures.phases().after()).as("orders acknowledged after the thaw").isPositive();
        FaultReport.edge("broker frozen 15 s (SIGSTOP) under load", outcomes + "; slowest refusal " + slowest
                + " ms (delivery timeout " + DELIVERY_TIMEOUT_MS + " ms); readiness DOWN during, UP after; no blocked"
                + " thread warnings");
    }

    private static PrometheusScrape apiMetrics() {
        return PrometheusScrape.parse(new OrdersClient("http://127.0.0.1:" + managementPort).get("/observe/metrics")
                .body());
    }

    /** The API's open connections by its gauge; fails when there is no such gauge. */
    private static int openApiConnections() {
        PrometheusScrape metrics = apiMetrics();
        assertThat(metrics.names()).contains("http_connections_open");
        return (int) metrics.sum("http_connections_open", "server", "api");
    }

    private static String order(String description) {
        return "{\"src_currency\": 1, \"dst_currency\": 2, \"channel\": 1, \"description\": \"" + description + "\"}";
    }

    private static Socket open(String written) throws IOException {
        return open(port, written);
    }

    private static Socket open(int serverPort, String written) throws IOException {
        Socket socket = new Socket("127.0.0.1", serverPort);
        socket.getOutputStream().write(written.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    /** What the server sent until it closed the connection; fails if it is still open at the deadline. */
    private static String readUntilClosed(Socket socket, long deadlineNanos) throws IOException {
        StringBuilder text = new StringBuilder();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        while (true) {
            long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new AssertionError("connection still open at the deadline; read so far: " + text);
            }
            socket.setSoTimeout((int) left);
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("connection still open at the deadline; read so far: " + text);
            } catch (IOException e) {
                n = -1; // reset by the server
            }
            if (n < 0) {
                socket.close();
                return text.toString();
            }
            text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        }
    }

    private static String readHead(Socket socket) throws IOException {
        socket.setSoTimeout(REQUEST_TIMEOUT_SECONDS * 1000 + 5000);
        StringBuilder head = new StringBuilder();
        InputStream in = socket.getInputStream();
        int b;
        while (!head.toString().endsWith("\r\n\r\n") && (b = in.read()) >= 0) {
            head.append((char) b);
        }
        return head.toString();
    }

    /** Sends one order, reads its answer, then trickles the next request a byte every 300 ms. */
    private static final class Trickler {
        private final Thread thread;
        private volatile String firstAnswer = "";
        private volatile long closedMillis = -1;

        Trickler(int port) {
            thread = new Thread(() -> {
                String body = order("trickle");
                String request = "POST /orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length() + "\r\n\r\n" + body;
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                    firstAnswer = readHead(socket);
                    long answered = System.nanoTime();
                    try {
                        for (int i = 0; i < 100; i++) {
                            socket.getOutputStream().write(request.charAt(i % request.length()));
                            socket.getOutputStream().flush();
                            Thread.sleep(300);
                        }
                    } catch (IOException e) {
                        closedMillis = (System.nanoTime() - answered) / 1_000_000;
                    }
                } catch (Exception e) {
                    firstAnswer = "failed: " + e;
                }
            }, "trickler");
            thread.start();
        }

        long awaitClosedMillis() throws InterruptedException {
            thread.join(Duration.ofSeconds(40).toMillis());
            assertThat(closedMillis).as("trickling connection closed by the server").isNotNegative();
            return closedMillis;
        }
    }
}
