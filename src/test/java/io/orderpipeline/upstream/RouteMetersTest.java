package io.orderpipeline.upstream;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.RoutePolicyFactory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * RouteMeters records what camel-micrometer's route policy records (same meters, same counts), and the cost it
 * removes is still Camel's: Camel's policy names its per-exchange property after the exchange id, so it must build
 * the name for every exchange. When this test sees Camel's name without the exchange id, RouteMeters can go.
 */
class RouteMetersTest {

    private static final int GOOD = 5;
    private static final int HANDLED = 2;
    private static final int FAILED = 3;

    @Test
    void recordsTheMetersCamelsRoutePolicyRecords() throws Exception {
        Run camels = run(() -> {
            MicrometerRoutePolicyFactory factory = new MicrometerRoutePolicyFactory();
            factory.getPolicyConfiguration().setContextEnabled(false);
            return factory;
        });
        Run ours = run(RouteMeters::new);

        assertThat(ours.meters).isEqualTo(camels.meters);
        assertThat(ours.meters).containsEntry("camel.exchanges.total{routeId=work}", (double) GOOD + HANDLED + FAILED)
                .containsEntry("camel.exchanges.failed{routeId=work}", (double) FAILED)
                .containsEntry("camel.exchanges.succeeded{routeId=work}", (double) GOOD + HANDLED)
                .containsEntry("camel.exchanges.failures.handled{routeId=work}", (double) HANDLED)
                .containsEntry("camel.route.policy{routeId=work}", (double) GOOD + HANDLED + FAILED);
    }

    @Test
    void namesTheSampleOncePerRouteWhereCamelNamesItPerExchange() throws Exception {
        Run camels = run(MicrometerRoutePolicyFactory::new);
        Run ours = run(RouteMeters::new);

        assertThat(camels.sampleProperties).isNotEmpty()
                .allSatisfy(seen -> assertThat(seen.property()).contains(seen.exchangeId()));
        assertThat(ours.sampleProperties).isNotEmpty()
                .allSatisfy(seen -> assertThat(seen.property()).isEqualTo("CamelRouteMetersSample-work"));
    }

    @Test
    void doesNothingWithoutARegistry() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            context.addRoutePolicyFactory(new RouteMeters());
            context.addRoutes(routes(new CopyOnWriteArrayList<>()));
            context.start();
            assertThat(context.createProducerTemplate().requestBody("direct:work", "good")).isEqualTo("good");
        }
    }

    private record Seen(String exchangeId, String property) {
    }

    private record Run(Map<String, Double> meters, List<Seen> sampleProperties) {
    }

    private static Run run(Supplier<RoutePolicyFactory> policies) throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        List<Seen> seen = new CopyOnWriteArrayList<>();
        try (CamelContext context = new DefaultCamelContext()) {
            context.getCamelContextExtension().setName("meters");
            context.getRegistry().bind(MicrometerConstants.METRICS_REGISTRY_NAME, registry);
            context.addRoutePolicyFactory(policies.get());
            context.addRoutes(routes(seen));
            context.start();
            ProducerTemplate template = context.createProducerTemplate();
            for (int i = 0; i < GOOD; i++) {
                template.requestBody("direct:work", "good");
            }
            for (int i = 0; i < HANDLED; i++) {
                template.requestBody("direct:work", "handled");
            }
            for (int i = 0; i < FAILED; i++) {
                assertThatThrownBy(() -> template.requestBody("direct:work", "fail"))
                        .isInstanceOf(CamelExecutionException.class);
            }
            // before the context stops: a stopping route's meters leave the registry
            return new Run(meters(registry, "work"), new ArrayList<>(seen));
        }
    }

    /** Each meter of the route by name and route id, with its count (timers) or value (counters). */
    private static Map<String, Double> meters(MeterRegistry registry, String routeId) {
        Map<String, Double> meters = new TreeMap<>();
        for (Meter meter : registry.getMeters()) {
            if (!routeId.equals(meter.getId().getTag("routeId"))) {
                continue;
            }
            String key = meter.getId().getName() + "{routeId=" + routeId + "}";
            assertThat(meter.getId().getTags()).extracting(tag -> tag.getKey())
                    .containsExactlyInAnyOrderElementsOf(Set.of("camelContext", "kind", "routeId", "eventType"));
            if (meter instanceof Timer timer) {
                meters.put(key, (double) timer.count());
            } else if (meter instanceof Counter counter) {
                meters.put(key, counter.count());
            }
        }
        return meters;
    }

    private static RouteBuilder routes(List<Seen> seen) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                onException(IllegalStateException.class).handled(true).setBody(constant("handled"));
                from("direct:work").routeId("work")
                        .process(exchange -> exchange.getProperties().keySet().stream()
                                .filter(name -> name.contains("work"))
                                .forEach(name -> seen.add(new Seen(exchange.getExchangeId(), name))))
                        .choice()
                        .when(body().isEqualTo("handled")).throwException(new IllegalStateException("handled"))
                        .when(body().isEqualTo("fail")).throwException(new IllegalArgumentException("fail"))
                        .end();
            }
        };
    }
}
