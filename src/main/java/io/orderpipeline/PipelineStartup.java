package io.orderpipeline;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.orderpipeline.db.DatabaseMigrator;
import io.orderpipeline.http.HttpServers;
import io.orderpipeline.http.InFlightLimit;
import io.orderpipeline.http.InFrontOfRoutes;
import io.orderpipeline.http.StartingGate;
import io.orderpipeline.kafka.BrokerHealthCheck;
import io.orderpipeline.kafka.KafkaClients;
import io.orderpipeline.kafka.TopicProvisioner;
import io.orderpipeline.metrics.MetricsSetup;
import io.orderpipeline.security.ServerSecurity;
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
 * What must be true before the routes start: the topics exist, the meters are bound and the database schema is
 * migrated. Also secures the HTTP servers ({@link ServerSecurity}) and puts a starting gate and JSON error pages on
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
        if (bool(props, "camel.server.enabled")) {
            var api = context.hasService(MainHttpServer.class).getConfiguration();
            InFrontOfRoutes.add(api, new StartingGate(context));
            InFrontOfRoutes.add(api, new InFlightLimit(Integer.parseInt(get(props, "orders.http.max-in-flight"))));
        }
        // readiness: the broker answers (next to ordersDatabaseHealth, which application.properties binds)
        BrokerHealthCheck broker = new BrokerHealthCheck(kafka);
        context.getRegistry().bind("ordersBrokerHealth", broker);
        context.addService(broker);
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarting(CamelContext ctx, boolean alreadyStarted) throws Exception {
                if (!alreadyStarted) {
                    prepare(ctx, props, kafka);
                }
            }

            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
                // nothing: the preparation must happen before the routes start
            }
        });
    }

    private static void prepare(CamelContext context, PropertiesComponent props, KafkaClients kafka) throws Exception {
        if (bool(props, "orders.kafka.create-topics")) {
            int partitions = Integer.parseInt(get(props, "orders.kafka.partitions"));
            short replication = Short.parseShort(get(props, "orders.kafka.replication-factor"));
            var created = new TopicProvisioner(kafka,
                    Duration.ofMillis(Long.parseLong(get(props, "orders.kafka.startup-timeout-ms"))))
                    .ensure(List.of(
                            new NewTopic(get(props, "orders.kafka.topic"), partitions, replication),
                            new NewTopic(get(props, "orders.kafka.dlt-topic"), partitions, replication)
                                    .configs(Map.of("max.message.bytes",
                                            get(props, "orders.kafka.dlt-max-message-bytes")))));
            if (!created.isEmpty()) {
                LOG.info("Created Kafka topics {} ({} partitions, replication factor {})", created, partitions,
                        replication);
            }
        }
        // before anything opens a database connection: the pool's meters must be bound before it starts
        MetricsSetup.bind(context, kafka, get(props, "orders.kafka.topic"),
                get(props, "orders.kafka.consumer-group"));
        if (bool(props, "orders.db.migrate")) {
            DataSource dataSource = context.getRegistry().lookupByNameAndType("ordersDataSource", DataSource.class);
            var result = new DatabaseMigrator(dataSource, get(props, "orders.db.migrations-location")).migrate();
            LOG.info("Database schema is up to date ({} migrations applied now)", result.migrationsExecuted);
        }
    }

    private static String get(PropertiesComponent props, String key) {
        return props.resolveProperty(key)
                .orElseThrow(() -> new IllegalArgumentException("missing configuration property " + key));
    }

    private static boolean bool(PropertiesComponent props, String key) {
        return props.resolveProperty(key).map(Boolean::parseBoolean).orElse(false);
    }
}
