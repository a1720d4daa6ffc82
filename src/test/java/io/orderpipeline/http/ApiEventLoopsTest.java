package io.orderpipeline.http;

import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import io.orderpipeline.support.Orders;
import io.orderpipeline.support.PipelineTestSupport;
import io.orderpipeline.support.RawHttp;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.MainConfigurationProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API's connections are served on as many Vert.x event loops as orders.http.event-loops asks for (each new
 * connection on the next), and a route that sends to Kafka from an event loop continues after the broker's
 * acknowledgement on that same event loop, not on the Kafka producer's one I/O thread.
 */
class ApiEventLoopsTest extends PipelineTestSupport {

    private static final int LOOPS = 2;

    @Override
    protected void overrideProperties(Properties p) {
        p.put("orders.http.event-loops", String.valueOf(LOOPS));
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        super.configure(configuration);
        configuration.addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:/probe/loop").routeId("probe-loop").setBody(simple("${threadName}"));
                // the orders producer, as orders-api sends with it: the thread before and after the send
                from("platform-http:/probe/send").routeId("probe-send")
                        .setVariable("before", simple("${threadName}"))
                        .setBody(constant(Orders.json("probe").getBytes()))
                        .to("kafka:{{orders.kafka.topic}}?{{orders.kafka.producer-options}}")
                        .setBody(simple("${variable.before} ${threadName}"));
            }
        });
    }

    private int apiPort() {
        return Integer.parseInt(property("orders.http.port"));
    }

    @Test
    void connectionsAreSpreadOverTheEventLoops() {
        Set<String> threads = new TreeSet<>();
        for (int i = 0; i < 4 * LOOPS; i++) {
            threads.add(RawHttp.send(apiPort(), "GET", "/probe/loop", "localhost", null).body());
        }
        assertThat(threads).hasSize(LOOPS).allSatisfy(t -> assertThat(t).startsWith("vert.x-eventloop-thread"));
        // and orders are taken on each of them
        for (int i = 0; i < 2 * LOOPS; i++) {
            assertThat(RawHttp.send(apiPort(), "POST", "/orders", "localhost", Orders.json("loop " + i),
                    "Content-Type: application/json").status()).isEqualTo(200);
        }
    }

    @Test
    void theRouteContinuesAfterTheSendOnTheEventLoopThatSent() {
        for (int i = 0; i < 2 * LOOPS; i++) {
            RawHttp.Response answer = RawHttp.send(apiPort(), "GET", "/probe/send", "localhost", null);
            assertThat(answer.status()).isEqualTo(200);
            String[] threads = answer.body().split(" ");
            assertThat(threads[0]).startsWith("vert.x-eventloop-thread");
            assertThat(threads[1]).as("after the send").isEqualTo(threads[0]);
        }
    }
}
