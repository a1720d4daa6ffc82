package io.orderpipeline.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import io.micrometer.core.instrument.MeterRegistry;
import io.orderpipeline.platform.metrics.MetricsSetup;
import io.orderpipeline.support.Orders;
import io.orderpipeline.support.PipelineTestSupport;
import io.orderpipeline.support.RawHttp;
import io.orderpipeline.support.RawHttp.Exchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One client address cannot take every connection of either server: beyond {@code max-connections-per-address}
 * its new connections are closed at once, while other addresses are served, and the other server, with its own
 * connections, answers meanwhile (a readiness probe while the API port is flooded, and the API while the
 * management port is).
 */
class ConnectionCapTest extends PipelineTestSupport {

    private static final int PER_ADDRESS = 20;
    /** what the flood tries to open: every connection either server takes */
    private static final int TOTAL = 30;
    private static final Duration QUIET = Duration.ofSeconds(5);
    private static final String ORDER = Orders.json("capped");

    @Override
    protected void overrideProperties(Properties properties) {
        properties.put("orders.http.max-connections-per-address", String.valueOf(PER_ADDRESS));
        properties.put("orders.http.max-connections", String.valueOf(TOTAL));
    }

    private int apiPort() {
        return Integer.parseInt(property("orders.http.port"));
    }

    private int managementPort() {
        return Integer.parseInt(property("orders.management.port"));
    }

    private String order() {
        return "POST /orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nConnection: close\r\n"
                + "Content-Length: " + ORDER.length() + "\r\n\r\n" + ORDER;
    }

    private static String ready() {
        return "GET /observe/health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    }

    @Test
    void aFloodFromOneAddressLeavesOtherAddressesAndTheOtherServerServed() throws Exception {
        for (int flooded : new int[] {apiPort(), managementPort()}) {
            boolean api = flooded == apiPort();
            String request = api ? order() : ready();
            List<Socket> flood = new ArrayList<>();
            double refusedBefore = refused(api);
            try {
                for (int i = 0; i < TOTAL; i++) {
                    flood.add(new Socket("127.0.0.1", flooded));
                }
                // the server's event loops take the flood's connections in their own time: the probe comes after
                await().atMost(Duration.ofSeconds(10)).until(() -> refused(api) - refusedBefore == TOTAL - PER_ADDRESS);
                assertThat(closedAtOnce(flooded)).as("a connection beyond the cap from the flooding address").isTrue();

                Exchange other = RawHttp.exchange("127.0.0.2", flooded, request, QUIET);
                Exchange otherServer = RawHttp.exchange(api ? managementPort() : apiPort(),
                        api ? ready() : order(), QUIET);

                assertThat(other.statuses()).as("another address, flooded port").containsExactly(200);
                assertThat(otherServer.statuses()).as("the other server, from the flooding address")
                        .containsExactly(200);
            } finally {
                for (Socket socket : flood) {
                    socket.close();
                }
            }
        }
    }

    /** http_connections_refused_total of the server. */
    private double refused(boolean api) {
        return context.getRegistry().lookupByNameAndType(MetricsSetup.REGISTRY, MeterRegistry.class)
                .get("http.connections.refused").tag("server", api ? "api" : "management").functionCounter().count();
    }

    /** Whether a new connection from 127.0.0.1 is closed without an answer. */
    private static boolean closedAtOnce(int port) throws IOException {
        try (Socket extra = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
            extra.setSoTimeout(2000);
            return extra.getInputStream().read() == -1;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}
