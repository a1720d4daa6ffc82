package io.orderpipeline;

import java.lang.management.ManagementFactory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderpipeline.support.Orders;
import io.orderpipeline.support.OrdersClient.Answer;
import io.orderpipeline.support.PipelineTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Camel's MBeans, as jconsole sees them and through Jolokia on the management port. */
class JmxConsoleTest extends PipelineTestSupport {

    private static final String ORDER = Orders.json("jmx");

    @Override
    protected boolean useJmx() {
        return true;
    }

    private String routeMBean() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names = server.queryNames(new ObjectName("org.apache.camel:type=routes,name=\"orders-api\",*"),
                null);
        assertThat(names).as("the route MBean jconsole shows").hasSize(1);
        return names.iterator().next().getCanonicalName();
    }

    @Test
    void aRoutesExchangeCountCanBeReadOverJolokia() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(api().post(ORDER).status()).isEqualTo(200);
        }

        Answer read = management().send("GET", "/observe/jolokia/read/" + jolokiaPath(routeMBean())
                + "/ExchangesTotal", null, null);

        assertThat(read.status()).as(read.body()).isEqualTo(200);
        JsonNode json = read.json();
        assertThat(json.get("status").asInt()).as(read.body()).isEqualTo(200);
        assertThat(json.get("value").asLong()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aRouteCanBeSuspendedAndResumedThroughJolokia() throws Exception {
        String mbean = routeMBean();

        Answer suspend = exec(mbean, "suspend()");
        assertThat(suspend.json().get("status").asInt()).as(suspend.body()).isEqualTo(200);
        assertThat(context.getRouteController().getRouteStatus("orders-api").isSuspended()).isTrue();
        Answer refused = api().post(ORDER);
        assertThat(refused.status()).as("a suspended HTTP route refuses orders").isEqualTo(503);
        assertThat(refused.problem().get("detail").asText()).contains("suspended");
        assertThat(refused.header("Retry-After")).isEqualTo("1");

        Answer resume = exec(mbean, "resume()");
        assertThat(resume.json().get("status").asInt()).as(resume.body()).isEqualTo(200);
        assertThat(api().post(ORDER).status()).isEqualTo(200);
    }

    @Test
    void healthIsServedOnTheManagementPort() {
        // the sink's consumer may still be joining its group (after a broker restart by an earlier test class)
        Answer health = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> management().send("GET", "/observe/health", null, null), a -> a.status() == 200);

        assertThat(health.body()).contains("UP");
    }

    private Answer exec(String mbean, String operation) {
        String body = "{\"type\":\"exec\",\"mbean\":\"" + mbean.replace("\"", "\\\"") + "\",\"operation\":\""
                + operation + "\",\"arguments\":[]}";
        return management().send("POST", "/observe/jolokia/", "application/json",
                body.getBytes(StandardCharsets.UTF_8));
    }

    private static String jolokiaPath(String mbean) {
        // Jolokia's GET syntax: '!' escapes '/' and '!' inside the MBean name
        return URLEncoder.encode(mbean.replace("!", "!!").replace("/", "!/"), StandardCharsets.UTF_8)
                .replace("+", "%20");
    }
}
