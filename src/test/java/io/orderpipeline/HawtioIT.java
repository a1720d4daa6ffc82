package io.orderpipeline;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderpipeline.support.Chromium;
import io.orderpipeline.support.EmbeddedServices;
import io.orderpipeline.support.JarProcess;
import io.orderpipeline.support.Orders;
import io.orderpipeline.support.OrdersClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Hawtio (3.0.0, embedded, in a process of its own) connected to the running pipeline's
 * {@code /observe/jolokia} through its proxy, driven in headless chromium as a person would: the Camel view lists the
 * pipeline's routes with their exchange counts, and {@code orders-api} is suspended (a POST then answers 503) and
 * resumed from the route's Operations tab. Only in the {@code hawtio} profile (README: Operations); the screenshot of
 * the Camel view goes to target/hawtio/camel-routes.png.
 */
class HawtioIT {

    private static final Duration STARTUP = Duration.ofSeconds(120);
    private static final Duration UI = Duration.ofSeconds(60);
    private static final Path HAWTIO = Path.of("target/hawtio");
    private static final int ORDERS = 5;

    /**
     * Clicks the node of the Camel tree with this text (a route id, "routes"), once it is there: the tree is drawn
     * again each time Hawtio re-reads the MBeans, and may then show the routes under their route groups (default,
     * needs-database), folded; those under "routes" are unfolded.
     */
    private static final String CLICK_NODE = "(text => new Promise((done, fail) => { const since = Date.now();"
            + " const texts = () => [...document.querySelectorAll('#camel-tree-view .pf-c-tree-view__node-text')];"
            + " const unfolded = new Set();"
            + " const poll = setInterval(() => { const node = texts().find(n => n.textContent.trim() === text);"
            + " if (node) { clearInterval(poll); node.closest('button').click(); done(true); return; }"
            + " const routes = texts().find(n => n.textContent.trim() === 'routes')?.closest('li');"
            + " routes?.querySelectorAll(':scope li.pf-c-tree-view__list-item:not(.pf-m-expanded)').forEach(group => {"
            + " if (!unfolded.has(group.id)) { unfolded.add(group.id);"
            + " group.querySelector('.pf-c-tree-view__node-toggle')?.click(); } });"
            + " if (Date.now() - since > 30000) { clearInterval(poll); fail(new Error('no tree node ' + text + ' among '"
            + " + texts().map(n => n.textContent.trim()).slice(0, 12).join(', '))); } }, 300); }))";
    private static final String CLICK_TAB = "(text => { const tab = [...document.querySelectorAll("
            + "'nav[aria-label=\"Camel Nav\"] a')].find(a => a.textContent.trim() === text);"
            + " if (!tab) throw new Error('no tab ' + text); tab.click(); return true; })";
    /** Opens the operation's row of the Operations tab, clicks Execute, and answers the row's text once it has a result. */
    private static final String EXECUTE = "(name => new Promise((done, fail) => {"
            + " const row = [...document.querySelectorAll('#jmx-operation-list li')]"
            + ".find(li => li.querySelector('b')?.textContent === name);"
            + " if (!row) return fail(new Error('no operation ' + name));"
            + " if (!row.classList.contains('pf-m-expanded')) row.querySelector('.pf-c-data-list__toggle button').click();"
            + " setTimeout(() => { [...row.querySelectorAll('button')].find(b => b.textContent.trim() === 'Execute').click();"
            + " const since = Date.now(); const poll = setInterval(() => { if (row.textContent.includes('Result')"
            + " || Date.now() - since > 10000) { clearInterval(poll); done(row.textContent); } }, 200); }, 300); }))";
    /** The routes table: one object per row with the columns Hawtio shows. */
    private static final String ROUTES = "[...document.querySelectorAll('#camel-routes-table tbody tr')].map(row =>"
            + " Object.fromEntries(['Name', 'State', 'Completed', 'Failed', 'Total', 'InFlight'].map(column =>"
            + " [column, row.querySelector('td[data-label=' + column + ']')?.textContent])))";

    @Test
    void hawtioListsTheRoutesWithTheirCountsAndSuspendsAndResumesOrdersApi() throws Exception {
        Files.createDirectories(HAWTIO);
        int hawtioPort = EmbeddedServices.freePort();
        int managementPort = EmbeddedServices.freePort();
        Map<String, String> env = EmbeddedServices.get().pipelineEnv();
        env.put("ORDERS_MANAGEMENT_PORT", String.valueOf(managementPort));
        // Hawtio's page, from which its proxy forwards the browser's Origin: the one origin the management server takes
        env.put("ORDERS_MANAGEMENT_ALLOWED_ORIGINS", "http://127.0.0.1:" + hawtioPort);

        try (JarProcess pipeline = JarProcess.start("hawtio-pipeline", env);
             HawtioProcess hawtio = HawtioProcess.start(hawtioPort);
             Chromium browser = Chromium.start(Files.createTempDirectory("chromium"), HAWTIO.resolve("chromium.log"),
                     1600, 1000)) {
            pipeline.awaitOutput("is running", STARTUP);
            OrdersClient api = new OrdersClient("http://127.0.0.1:" + env.get("ORDERS_HTTP_PORT"));
            for (int i = 0; i < ORDERS; i++) {
                assertThat(api.post(Orders.json("hawtio " + i)).status()).isEqualTo(200);
            }
            hawtio.awaitServing();

            // a connection to the pipeline's Jolokia, as the Connect page stores it, then the Camel view on it
            browser.navigate(hawtio.url() + "/");
            browser.await("document.readyState === 'complete'", UI);
            browser.evaluate("localStorage.setItem('connect.connections', JSON.stringify({pipeline: {name: 'pipeline',"
                    + " scheme: 'http', host: '127.0.0.1', port: " + managementPort + ", path: '/observe/jolokia'}}))");
            browser.navigate(hawtio.url() + "/camel?con=pipeline");
            browser.await("document.querySelector('#camel-tree-view .pf-c-tree-view__node-text')", UI);

            // (a) the routes with their exchange counts
            browser.evaluate(CLICK_NODE + "('routes')");
            browser.await("[...document.querySelectorAll('#camel-routes-table td[data-label=Name]')]"
                    + ".some(td => td.textContent === 'orders-api')", UI);
            Map<String, JsonNode> routes = routes(browser);
            assertThat(routes).containsKeys("orders-api", "orders-batch", "orders-sink", "orders-lookup");
            assertThat(routes.get("orders-api").get("State").asText()).isEqualTo("Started");
            assertThat(routes.get("orders-api").get("Total").asInt()).as("orders-api's exchanges")
                    .isGreaterThanOrEqualTo(ORDERS);
            assertThat(routes.get("orders-api").get("Failed").asInt()).isZero();
            browser.screenshot(HAWTIO.resolve("camel-routes.png"));

            // the Source tab: the route as written (its error handling first), from the context's dumpRoutesAsXml(),
            // the one operation outside a route's lifecycle the access policy allows
            browser.evaluate(CLICK_NODE + "('orders-api')");
            browser.await("document.querySelector('nav[aria-label=\"Camel Nav\"]')", UI);
            browser.evaluate(CLICK_TAB + "('Source')");
            browser.await("document.body.innerText.includes('io.orderpipeline.order.InvalidOrderException')", UI);
            browser.screenshot(HAWTIO.resolve("camel-source.png"));

            // (b) suspend orders-api from its Operations tab: orders are refused, nothing else stops
            operation(browser, "orders-api", "suspend()");
            await().atMost(Duration.ofSeconds(30)).until(() -> api.post(Orders.json("while suspended")).status() == 503);
            assertThat(api.post(Orders.json("while suspended")).problem().get("detail").asText()).contains("suspended");
            browser.evaluate(CLICK_NODE + "('routes')");
            browser.await(state("orders-api", "Suspended"), UI);
            browser.screenshot(HAWTIO.resolve("camel-routes-suspended.png"));

            operation(browser, "orders-api", "resume()");
            await().atMost(Duration.ofSeconds(30)).until(() -> api.post(Orders.json("resumed")).status() == 200);
            browser.evaluate(CLICK_NODE + "('routes')");
            browser.await(state("orders-api", "Started"), UI);
        }
    }

    private static Map<String, JsonNode> routes(Chromium browser) throws Exception {
        Map<String, JsonNode> byName = new HashMap<>();
        browser.evaluate(ROUTES).forEach(row -> byName.put(row.get("Name").asText(), row));
        return byName;
    }

    private static String state(String route, String state) {
        return "[...document.querySelectorAll('#camel-routes-table tbody tr')].some(row =>"
                + " row.querySelector('td[data-label=Name]')?.textContent === '" + route + "'"
                + " && row.querySelector('td[data-label=State]')?.textContent === '" + state + "')";
    }

    /** Runs a route MBean's operation from the route's Operations tab, as a person would. */
    private static void operation(Chromium browser, String route, String operation) throws Exception {
        browser.evaluate(CLICK_NODE + "('" + route + "')");
        browser.await("document.querySelector('nav[aria-label=\"Camel Nav\"]')", UI);
        browser.evaluate(CLICK_TAB + "('Operations')");
        browser.await("document.querySelector('#jmx-operation-list li')", UI);
        String row = browser.evaluate(EXECUTE + "('" + operation + "')").asText();
        assertThat(row).as(operation).contains("Operation successful");
    }

    /** Embedded Hawtio from target/hawtio (the hawtio profile copies it there), on 127.0.0.1 without a login. */
    private static final class HawtioProcess implements AutoCloseable {
        private final Process process;
        private final int port;

        private HawtioProcess(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static HawtioProcess start(int port) throws Exception {
            Path war = HAWTIO.resolve("hawtio-default.war");
            assertThat(war).as("run with -Phawtio, which copies Hawtio to target/hawtio").exists();
            List<String> command = new ArrayList<>(List.of(JarProcess.java(),
                    // no login page; the proxy reaches 127.0.0.1 only, and does not probe for other local addresses
                    "-Dhawtio.authenticationEnabled=false", "-Dhawtio.proxyAllowlist=127.0.0.1",
                    "-Dhawtio.localAddressProbing=false",
                    "-cp", HAWTIO.resolve("lib").toAbsolutePath() + File.separator + "*",
                    Path.of("src/test/hawtio/HawtioMain.java").toAbsolutePath().toString(),
                    "--war", war.toAbsolutePath().toString(), "--port", String.valueOf(port), "--host", "127.0.0.1",
                    "--context-path", "/hawtio", "--open-url=false"));
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(HAWTIO.resolve("hawtio.log").toFile()).start();
            return new HawtioProcess(process, port);
        }

        String url() {
            return "http://127.0.0.1:" + port + "/hawtio";
        }

        void awaitServing() {
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(STARTUP).ignoreExceptions().until(() -> http.send(HttpRequest.newBuilder(
                    URI.create(url() + "/")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
