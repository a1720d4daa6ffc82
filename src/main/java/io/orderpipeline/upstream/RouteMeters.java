package io.orderpipeline.upstream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyNamingStrategy;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.ExchangeHelper;
import org.apache.camel.support.RoutePolicySupport;

import static org.apache.camel.component.micrometer.MicrometerConstants.METRICS_REGISTRY_NAME;

/**
 * Camel's route meters, the ones camel-micrometer's route policy records with {@code camel.metrics.route-policy-level
 * = route} and the default naming ({@code camel_route_policy_seconds}, {@code camel_exchanges_total},
 * {@code _succeeded}, {@code _failed}, {@code _failures_handled}, {@code _external_redeliveries}, tagged by route),
 * under the same names and tags ({@link MicrometerRoutePolicyNamingStrategy#DEFAULT}), in the registry
 * camel-micrometer-prometheus serves. In place of camel-micrometer's ({@code camel.metrics.enable-route-policy = false});
 * does nothing when metrics are off (no registry).
 * <p>
 * Gap: camel-micrometer 4.18's {@code MicrometerRoutePolicy} keeps an exchange's timer sample in an exchange property
 * whose name it builds with {@code String.format} from the route id and the exchange id, three times per exchange
 * ({@code MetricsStatistics.propertyName}): 4.5 % of the door's CPU samples under load
 * (bench/results/20261206-164533-door-profile.md). The property's name needs no exchange id (the properties are the
 * exchange's own, and a copy entering the route starts its own sample), so here it is one name per route, made once.
 * No upstream issue as of 2026-12-06. Without it: RouteMetersTest (the per-exchange formatting is Camel's; the meters
 * are the same). Goes once camel-micrometer names the property once per route.
 */
public class RouteMeters implements RoutePolicyFactory {

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        return new Policy();
    }

    /** One route's meters. */
    static final class Policy extends RoutePolicySupport {

        private final MicrometerRoutePolicyNamingStrategy names = MicrometerRoutePolicyNamingStrategy.DEFAULT;
        private MeterRegistry registry;
        private String sampleProperty;
        private Timer timer;
        private Counter total;
        private Counter succeeded;
        private Counter failed;
        private Counter failuresHandled;
        private Counter externalRedeliveries;

        @Override
        public void onStart(Route route) {
            registry = route.getCamelContext().getRegistry().lookupByNameAndType(METRICS_REGISTRY_NAME, MeterRegistry.class);
            if (registry == null || timer != null) {
                return;
            }
            sampleProperty = "CamelRouteMetersSample-" + route.getId();
            timer = Timer.builder(names.getName(route)).tags(names.getTags(route))
                    .description("Route performance metrics").register(registry);
            total = counter(route, names.getExchangesTotalName(route), "Total number of processed exchanges");
            succeeded = counter(route, names.getExchangesSucceededName(route),
                    "Number of successfully completed exchanges");
            failed = counter(route, names.getExchangesFailedName(route), "Number of failed exchanges");
            failuresHandled = counter(route, names.getFailuresHandledName(route), "Number of failures handled");
            externalRedeliveries = counter(route, names.getExternalRedeliveriesName(route),
                    "Number of external initiated redeliveries (such as from JMS broker)");
        }

        private Counter counter(Route route, String name, String description) {
            return Counter.builder(name).tags(names.getExchangeStatusTags(route)).description(description)
                    .register(registry);
        }

        @Override
        public void onRemove(Route route) {
            if (timer != null) {
                for (Meter meter : new Meter[] {
                        timer, total, succeeded, failed, failuresHandled, externalRedeliveries}) {
                    registry.remove(meter);
                }
                timer = null;
            }
        }

        @Override
        public void onExchangeBegin(Route route, Exchange exchange) {
            if (timer != null) {
                exchange.setProperty(sampleProperty, Timer.start(registry));
            }
        }

        @Override
        public void onExchangeDone(Route route, Exchange exchange) {
            if (timer == null) {
                return;
            }
            if (exchange.removeProperty(sampleProperty) instanceof Timer.Sample sample) {
                sample.stop(timer);
            }
            total.increment();
            if (exchange.isFailed()) {
                failed.increment();
                return;
            }
            succeeded.increment();
            if (ExchangeHelper.isFailureHandled(exchange)) {
                failuresHandled.increment();
            }
            if (exchange.isExternalRedelivered()) {
                externalRedeliveries.increment();
            }
        }
    }
}
