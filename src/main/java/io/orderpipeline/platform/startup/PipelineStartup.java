package io.orderpipeline.platform.startup;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

import io.orderpipeline.platform.http.InFlightLimit;
import io.orderpipeline.platform.http.StartingGate;
import io.orderpipeline.platform.kafka.BrokerHealthCheck;
import io.orderpipeline.platform.kafka.KafkaClients;
import io.orderpipeline.platform.kafka.TopicProvisioner;
import io.orderpipeline.platform.metrics.MetricsSetup;
import io.orderpipeline.platform.telemetry.TracingSetup;
import io.orderpipeline.upstream.InFrontOfRoutes;
import io.orderpipeline.upstream.OncePerContext;
import io.orderpipeline.upstream.PreparedProducerFactory;
import io.orderpipeline.upstream.RouteMeters;
import io.orderpipeline.upstream.UntracedSteps;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What must be true before the routes start: the meters are bound; the topics and the database schema, which the
 * routes of group {@value StartupDependencies#NEEDS_DATABASE} wait for, are {@link StartupDependencies}'. Also secures the HTTP servers ({@link ServerSecurity}) and puts a starting gate and JSON error pages on
 * the API server. Everything it does is switched by application properties, so the same class serves the jar, the
 * tests and {@code camel run}.
 */
@Configuration
public class PipelineStartup implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineStartup.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        if (!OncePerContext.first(context, PipelineStartup.class)) {
            return; // configured already (camel run configures it too)
        }
        PropertiesComponent props = context.getPropertiesComponent();
        KafkaClients kafka = KafkaClients.from(key -> props.resolveProperty(key).orElse(null));
        HttpServers.install(context, key -> get(props, key)); // first: its guards see every request
        ServerSecurity.configure(context);
        // readiness: the broker answers (next to ordersDatabaseHealth, which application.properties binds)
        BrokerHealthCheck broker = new BrokerHealthCheck(kafka);
        context.getRegistry().bind("ordersBrokerHealth", broker);
        context.addService(broker);
        StartupDependencies dependencies = dependencies(context, props, kafka);
        context.getRegistry().bind("ordersStartupDependencies", dependencies);
        context.getRegistry().bind(PreparedProducerFactory.BROKER_ANSWERED, (BooleanSupplier) dependencies::brokerAnswered);
        if (bool(props, "camel.server.enabled")) {
            var api = context.hasService(MainHttpServer.class).getConfiguration();
            InFrontOfRoutes.add(api, new StartingGate(context, dependencies::brokerAnswered));
            InFrontOfRoutes.add(api, new InFlightLimit(Integer.parseInt(get(props, "orders.http.max-in-flight"))));
        }
        context.addRoutePolicyFactory(dependencies.holdBack());
        context.addRoutePolicyFactory(new RouteMeters()); // Camel's route meters (camel.metrics.enable-route-policy=false)
        TracingSetup.install(context);
        UntracedSteps.unwrap(context); // the tracer makes no span per step: no wrapper around each
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarting(CamelContext ctx, boolean alreadyStarted) throws Exception {
                if (!alreadyStarted) {
                    // before anything opens a database connection: the pool's meters must be bound before it starts
                    MetricsSetup.bind(ctx, kafka, get(props, "orders.kafka.topic"),
                            get(props, "orders.kafka.consumer-group"));
                    dependencies.beforeRoutes();
                }
            }

            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) throws Exception {
                if (!alreadyStarted) {
                    dependencies.started();
                }
            }
        });
    }

    /** The topics to create (orders.kafka.create-topics) and the schema to migrate (orders.db.migrate). */
    private static StartupDependencies dependencies(CamelContext context, PropertiesComponent props,
                                                    KafkaClients kafka) {
        StartupDependencies.Step topics;
        TopicProvisioner provisioner = new TopicProvisioner(kafka,
                Duration.ofMillis(Long.parseLong(get(props, "orders.kafka.startup-timeout-ms"))));
        if (!bool(props, "orders.kafka.create-topics")) {
            // created elsewhere (a KafkaTopic, an administrator): wait until the broker describes them
            topics = () -> provisioner.require(List.of(get(props, "orders.kafka.topic"),
                    get(props, "orders.kafka.dlt-topic")));
        } else {
            int partitions = Integer.parseInt(get(props, "orders.kafka.partitions"));
            short replication = Short.parseShort(get(props, "orders.kafka.replication-factor"));
            List<NewTopic> wanted = List.of(
                    new NewTopic(get(props, "orders.kafka.topic"), partitions, replication),
                    new NewTopic(get(props, "orders.kafka.dlt-topic"), partitions, replication)
                            .configs(Map.of("max.message.bytes", get(props, "orders.kafka.dlt-max-message-bytes"))));
            topics = () -> {
                var created = provisioner.ensure(wanted);
                if (!created.isEmpty()) {
                    LOG.info("Created Kafka topics {} ({} partitions, replication factor {})", created, partitions,
                            replication);
                }
            };
        }
        DataSource dataSource = context.getRegistry().lookupByNameAndType("ordersDataSource", DataSource.class);
        return new StartupDependencies(context, topics, dataSource,
                bool(props, "orders.db.migrate") ? get(props, "orders.db.migrations-location") : null);
    }

    private static String get(PropertiesComponent props, String key) {
        return props.resolveProperty(key)
                .orElseThrow(() -> new IllegalArgumentException("missing configuration property " + key));
    }

    private static boolean bool(PropertiesComponent props, String key) {
        return props.resolveProperty(key).map(Boolean::parseBoolean).orElse(false);
    }
}
