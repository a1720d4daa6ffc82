package io.orderpipeline.platform.telemetry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.orderpipeline.support.EmbeddedServices;
import io.orderpipeline.support.Orders;
import io.orderpipeline.support.PipelineTestSupport;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shipped exporter, OTLP over gRPC, against a collector that answers: a gRPC endpoint on HTTP/2 cleartext that
 * takes {@code TraceService/Export} and answers OK, keeping each request's protobuf body. The spans of an order reach
 * it, named and under the configured service name.
 */
class OtlpExportTest extends PipelineTestSupport {

    private static final int COLLECTOR_PORT = EmbeddedServices.freePort();
    private static final Collector COLLECTOR = new Collector(COLLECTOR_PORT);

    @Override
    protected void overrideProperties(Properties properties) {
        properties.put("orders.tracing.exporter", "otlp");
        properties.put("orders.tracing.otlp-endpoint", "http://127.0.0.1:" + COLLECTOR_PORT);
        properties.put("orders.tracing.service-name", "order-pipeline-otlp-test");
    }

    @AfterAll
    void stopCollector() {
        COLLECTOR.close();
    }

    @Test
    void theSpansOfAnOrderReachTheCollector() {
        String description = "exported " + java.util.UUID.randomUUID();
        database().awaitStored(Orders.id(api().post(Orders.json(description))));

        // spans leave in batches (every five seconds): wait for the one holding the order's request and its INSERT
        await().atMost(Duration.ofSeconds(30)).until(() -> COLLECTOR.received().contains("INSERT orders"));
        String received = COLLECTOR.received();
        assertThat(COLLECTOR.paths).containsOnly("/opentelemetry.proto.collector.trace.v1.TraceService/Export");
        assertThat(COLLECTOR.contentTypes).containsOnly("application/grpc");
        assertThat(received).contains("order-pipeline-otlp-test", "POST", topic(), topic() + " process");
    }

    /** The collector's side of OTLP/gRPC, as little of it as an exporter needs: every export answered OK. */
    static final class Collector implements AutoCloseable {
        final List<String> paths = new CopyOnWriteArrayList<>();
        final List<String> contentTypes = new CopyOnWriteArrayList<>();
        private final List<byte[]> bodies = new CopyOnWriteArrayList<>();
        private final Vertx vertx = Vertx.vertx();

        Collector(int port) {
            HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port)
                    .setHttp2ClearTextEnabled(true));
            server.requestHandler(request -> request.body().onSuccess(body -> {
                paths.add(request.path());
                contentTypes.add(request.getHeader("content-type"));
                bodies.add(body.getBytes());
                // an empty ExportTraceServiceResponse: a gRPC message frame (uncompressed, length 0), then status 0
                request.response().putHeader("content-type", "application/grpc")
                        .putTrailer("grpc-status", "0").end(Buffer.buffer(new byte[5]));
            }));
            try {
                server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("the test collector did not start", e);
            }
        }

        /** Everything exported so far, as text: the protobuf's strings (names, attribute values) stand in it as sent. */
        String received() {
            StringBuilder text = new StringBuilder();
            for (byte[] body : bodies) {
                text.append(new String(body, StandardCharsets.ISO_8859_1)).append('\n');
            }
            return text.toString();
        }

        @Override
        public void close() {
            vertx.close();
        }
    }
}
