package io.orderpipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import io.orderpipeline.support.Orders;
import io.orderpipeline.support.OrdersClient.Answer;
import io.orderpipeline.support.PipelineTestSupport;
import io.orderpipeline.support.ShippedRoutes;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Routes loaded from a directory take effect when a file is edited, without a restart or a rebuild. */
class RouteReloadTest extends PipelineTestSupport {

    private static final Path ROUTES = ShippedRoutes.copy("routes-");
    private static final String VALID = Orders.json("d");

    @Override
    protected void overrideProperties(Properties p) {
        // what the jar's --routes DIR sets
        p.put("camel.main.routes-include-pattern", "file:" + ROUTES + "/*.camel.yaml");
        p.put("camel.main.routes-reload-enabled", "true");
        p.put("camel.main.routes-reload-directory", ROUTES.toString());
    }

    @Test
    void anEditedValidationLimitTakesEffectAndABrokenEditLeavesTheLastGoodRouteRunning() throws Exception {
        assertThat(api().post(VALID).status()).isEqualTo(200);

        // an edit: orders answer with an extra header
        Path route = ROUTES.resolve("orders-api.camel.yaml");
        String original = Files.readString(route);
        String answer = "        - setHeader:\n            name: CamelHttpResponseCode\n            constant: \"200\"";
        String edited = original.replace(answer,
                "        - setHeader:\n            name: X-Route-Version\n            constant: edited\n" + answer);
        assertThat(edited).isNotEqualTo(original);
        Files.writeString(route, edited);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> "edited".equals(api().post(VALID).header("X-Route-Version")));

        // a broken edit is attempted, fails with its reason, and the edited route keeps serving
        RouteWatcherReloadStrategy reload = context.hasService(RouteWatcherReloadStrategy.class);
        int failedBefore = reload.getFailedCounter();
        Files.writeString(route, edited.replace("- route:", "- route: [this is not a route"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> reload.getFailedCounter() > failedBefore);
        assertThat(reload.getLastError()).isNotNull();
        Answer stillServing = api().post(VALID);
        assertThat(stillServing.status()).isEqualTo(200);
        assertThat(stillServing.header("X-Route-Version")).isEqualTo("edited");
        assertThat(context.getRoute("orders-api")).isNotNull();
    }
}
