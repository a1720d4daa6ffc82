package io.orderpipeline.security;

import java.time.Duration;
import java.util.Properties;

import io.orderpipeline.support.Orders;
import io.orderpipeline.support.OrdersClient.Answer;
import io.orderpipeline.support.PipelineTestSupport;
import io.orderpipeline.support.RawHttp.Response;
import io.orderpipeline.support.RawHttp;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The attacks a web page (or anyone on the machine) could make on the management server of a default start, replayed
 * against it: each is refused, while what operators use Jolokia for (route statistics, suspend and resume) works.
 */
class ManagementLockdownTest extends PipelineTestSupport {

    private static final String ORDER = Orders.json("lockdown");

    @Override
    protected boolean useJmx() {
        return true;
    }

    @Override
    protected void overrideProperties(Properties properties) {
        properties.put("orders.management.allowed-origins", "http://hawtio.example:8080");
        properties.put("orders.management.allowed-hosts", "ops.example");
    }

    /** This context's route MBean, as JSON string content (other test classes' contexts may be registered too). */
    private String route() {
        return "org.apache.camel:context=" + context.getManagementName() + ",type=routes,name=\\\"orders-api\\\"";
    }

    private String camelContextMBean() {
        return "org.apache.camel:context=" + context.getManagementName() + ",type=context,name=\\\"order-pipeline\\\"";
    }

    private int port() {
        return Integer.parseInt(property("orders.management.port"));
    }

    private Response jolokiaPost(String json, String... headers) {
        return RawHttp.send(port(), "POST", "/observe/jolokia/", "127.0.0.1:" + port(), json, headers);
    }

    private static String exec(String mbean, String operation, String arguments) {
        return "{\"type\":\"exec\",\"mbean\":\"" + mbean + "\",\"operation\":\"" + operation + "\",\"arguments\":["
                + arguments + "]}";
    }

    @Test
    void aCrossSitePostWithTextPlainIsRefusedBeforeJolokiaSeesIt() {
        Response answer = jolokiaPost(exec("com.sun.management:type=DiagnosticCommand", "vmSystemProperties()", ""),
                "Content-Type: text/plain", "Origin: http://evil.example");

        assertThat(answer.status()).as(answer.body()).isEqualTo(403);
        assertThat(answer.body()).contains("origin").doesNotContain("java.home");
    }

    @Test
    void aForeignHostHeaderIsRefusedAgainstDnsRebinding() {
        Response answer = RawHttp.send(port(), "POST", "/observe/jolokia/", "evil.example:" + port(),
                exec(route(), "suspend()", ""), "Content-Type: text/plain", "Origin: http://evil.example:" + port());

        assertThat(answer.status()).as(answer.body()).isEqualTo(403);
        assertThat(answer.body()).contains("host 'evil.example");
        assertThat(context.getRouteController().getRouteStatus("orders-api").isStarted()).isTrue();
        assertThat(RawHttp.send(port(), "GET", "/observe/health", "evil.example", null).status()).isEqualTo(403);
    }

    @Test
    void aHostNamedInAllowedHostsIsServedAndOnlyThatOne() {
        assertThat(RawHttp.send(port(), "GET", "/observe/health", "ops.example:" + port(), null).status())
                .isEqualTo(200);
        assertThat(RawHttp.send(port(), "GET", "/observe/health", "ops.example", null).status()).isEqualTo(200);
        assertThat(RawHttp.send(port(), "GET", "/observe/health", "ops.example.evil.example", null).status())
                .isEqualTo(403);
        assertThat(RawHttp.send(port(), "GET", "/observe/health", "evil.example", null).status()).isEqualTo(403);
    }

    @Test
    void operationsOutsideARoutesLifecycleAreDeniedByTheAccessPolicyEvenWithoutAnOrigin() {
        String[] denied = {
                exec("com.sun.management:type=DiagnosticCommand", "vmSystemProperties()", ""),
                exec("com.sun.management:type=DiagnosticCommand", "jvmtiAgentLoad(java.lang.String)", "\"/tmp/x.so\""),
                exec("com.sun.management:type=HotSpotDiagnostic", "dumpHeap(java.lang.String,boolean)",
                        "\"/tmp/heap.hprof\",true"),
                exec(camelContextMBean(),
                        "sendBody(java.lang.String,java.lang.Object)", "\"log:attack\",\"x\""),
                exec(camelContextMBean(),
                        "requestBody(java.lang.String,java.lang.Object)", "\"log:attack\",\"x\""),
                exec(camelContextMBean(), "stop()", ""),
                exec(route(), "remove()", ""),
                "{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":\"SystemProperties\"}",
                "{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":\"InputArguments\"}",
                "{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\",\"value\":true}",
        };
        for (String request : denied) {
            Response answer = jolokiaPost(request, "Content-Type: application/json");
            assertThat(answer.body()).as(request).contains("\"status\":403").contains("forbidden");
        }
        assertThat(context.isStarted()).isTrue();
        assertThat(new java.io.File("/tmp/heap.hprof")).doesNotExist();
    }

    @Test
    void jolokiaTakesOperationsByPostOnlySoThatAnImageTagCannotRunThem() {
        String path = "/observe/jolokia/exec/org.apache.camel:context=order-pipeline,type=routes,name=%22orders-api%22/suspend()";
        Answer viaPath = management().send("GET", path, null, null);
        Answer viaQuery = management().send("GET", "/observe/jolokia/?p=/exec/x:type=y/z()", null, null);

        assertThat(viaPath.status()).isEqualTo(405);
        assertThat(viaPath.header("Allow")).isEqualTo("POST");
        assertThat(viaPath.problem().get("status").asInt()).isEqualTo(405);
        assertThat(viaQuery.status()).isEqualTo(405);
        assertThat(context.getRouteController().getRouteStatus("orders-api").isStarted()).isTrue();
    }

    /** What Hawtio's Route Diagram and Source tabs read: the routes as written, never with secrets filled in. */
    @Test
    void theRoutesSourceIsReadableWithItsPlaceholdersButNotResolved() {
        Response source = jolokiaPost(exec(camelContextMBean(), "dumpRoutesAsXml()", ""),
                "Content-Type: application/json");
        assertThat(source.body()).contains("\"status\":200").contains("orders-api")
                .contains("{{orders.kafka.producer-options}}");
        for (String resolving : new String[] {exec(camelContextMBean(), "dumpRoutesAsXml(boolean)", "true"),
                exec(camelContextMBean(), "dumpRoutesAsXml(boolean,boolean)", "true,false")}) {
            Response refused = jolokiaPost(resolving, "Content-Type: application/json");
            assertThat(refused.body()).as(resolving).contains("\"status\":403");
        }
    }

    @Test
    void routeStatisticsSuspendAndResumeStillWorkAndAnAllowedOriginMayCallThem() {
        assertThat(api().post(ORDER).status()).isEqualTo(200);
        Answer read = management().send("GET", "/observe/jolokia/read/org.apache.camel:context="
                + context.getManagementName() + ",type=routes,name=%22orders-api%22/ExchangesTotal", null, null);
        assertThat(read.json().get("status").asInt()).as(read.body()).isEqualTo(200);
        assertThat(read.json().get("value").asLong()).isPositive();
        Answer heap = management().send("GET", "/observe/jolokia/read/java.lang:type=Memory/HeapMemoryUsage", null, null);
        assertThat(heap.json().get("status").asInt()).as(heap.body()).isEqualTo(200);

        Response suspend = jolokiaPost(exec(route(), "suspend()", ""), "Content-Type: text/plain",
                "Origin: http://hawtio.example:8080");
        assertThat(suspend.body()).as(suspend.body()).contains("\"status\":200");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> context.getRouteController().getRouteStatus("orders-api").isSuspended());
        assertThat(api().post(ORDER).status()).isEqualTo(503);

        Response resume = jolokiaPost(exec(route(), "resume()", ""), "Content-Type: application/json",
                "Origin: http://localhost:" + port());
        assertThat(resume.body()).contains("\"status\":200");
        assertThat(api().post(ORDER).status()).isEqualTo(200);
    }

    @Test
    void theDeveloperConsoleIsOffByDefault() {
        for (String console : new String[] {"/q/dev", "/q/dev/eval-language?template=%24%7Benv%3APATH%7D", "/q/dev/send",
                "/q/dev/bean"}) {
            Answer answer = management().send("GET", console, null, null);
            assertThat(answer.status()).as(console).isEqualTo(404);
            assertThat(answer.body()).as(console).doesNotContain("/usr/bin").doesNotContain("password");
        }
    }
}
