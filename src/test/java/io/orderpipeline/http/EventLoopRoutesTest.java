package io.orderpipeline.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Properties;

import io.orderpipeline.support.OrdersClient.Answer;
import io.orderpipeline.support.PipelineTestSupport;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumerAware;
import org.apache.camel.main.MainConfigurationProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Routes listed in orders.http.event-loop-routes run on the Vert.x event loop; every other HTTP route runs on a worker
 * thread, where it may block. The shipped list holds orders-api (validate, hand to Kafka) and not orders-lookup (JDBC).
 */
class EventLoopRoutesTest extends PipelineTestSupport {

    @Override
    protected void overrideProperties(Properties properties) {
        // the shipped list, plus a probe route
        properties.put("orders.http.event-loop-routes", shipped("orders.http.event-loop-routes") + ",probe-event-loop");
    }

    private static String shipped(String key) {
        Properties shipped = new Properties();
        try (InputStream in = EventLoopRoutesTest.class.getResourceAsStream("/application.properties")) {
            shipped.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return shipped.getProperty(key);
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        super.configure(configuration);
        configuration.addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:/probe/event-loop").routeId("probe-event-loop").setBody(simple("${threadName}"));
                from("platform-http:/probe/worker").routeId("probe-worker").setBody(simple("${threadName}"));
            }
        });
    }

    @Test
    void aListedRouteRunsOnTheEventLoopAndAnyOtherOnAWorker() {
        assertThat(api().send("GET", "/probe/event-loop", null, null).body()).startsWith("vert.x-eventloop-thread");
        assertThat(api().send("GET", "/probe/worker", null, null).body()).startsWith("vert.x-worker-thread");
    }

    @Test
    void ordersAreTakenOnTheEventLoopAndLookupsThatQueryPostgresqlOnWorkers() {
        assertThat(consumerOf("orders-api").isOnEventLoop()).isTrue();
        assertThat(consumerOf("orders-lookup").isOnEventLoop()).isFalse();

        Answer accepted = api().post("""
                {"src_currency": 1, "dst_currency": 2, "description": "on the event loop", "channel": 1}""");
        assertThat(accepted.status()).isEqualTo(200);
        String id = accepted.json().get("id").asText();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> api().send("GET", "/orders/" + id, null, null).status() == 200);
    }

    private NonBlockingHttpConsumer consumerOf(String routeId) {
        // platform-http's consumer wraps the engine's
        return (NonBlockingHttpConsumer) ((PlatformHttpConsumerAware) context.getRoute(routeId).getConsumer())
                .getPlatformHttpConsumer();
    }
}
