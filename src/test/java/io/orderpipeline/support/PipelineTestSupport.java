package io.orderpipeline.support;

import java.util.Properties;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Runs the application's own configuration (application.properties, the YAML routes, PipelineStartup) in Camel Main
 * against the real embedded broker and database. Each test class gets its own HTTP port, topics and consumer group,
 * so classes never see each other's orders.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class PipelineTestSupport extends CamelMainTestSupport {

    protected static final EmbeddedServices SERVICES = EmbeddedServices.get();

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        // called from the base class constructor: use only what getClass() and statics give
        String name = getClass().getSimpleName();
        Properties p = new Properties();
        // the routes, as the jar loads them (application.properties leaves them to the launcher)
        p.put("camel.main.routes-include-pattern", "classpath:routes/*.camel.yaml");
        p.put("orders.kafka.brokers", SERVICES.bootstrapServers());
        p.put("orders.db.url", SERVICES.jdbcUrl());
        p.put("orders.http.port", String.valueOf(EmbeddedServices.freePort()));
        p.put("orders.management.port", String.valueOf(EmbeddedServices.freePort()));
        p.put("orders.kafka.topic", "orders-" + name);
        p.put("orders.kafka.dlt-topic", "orders-" + name + ".DLT");
        p.put("orders.kafka.consumer-group", "sink-" + name);
        p.put("orders.kafka.partitions", "3");
        p.put("orders.sink.consumers", "3");
        // spans are made and propagated, but no test has a collector to send them to
        p.put("orders.tracing.exporter", "none");
        overrideProperties(p);
        return p;
    }

    /**
     * Stops this class's pipeline, then closes its connection pools: Camel does not close the pool bean when a context
     * stops, and each pool keeps its connections open (the classes of one JVM would exhaust PostgreSQL's connection
     * slots). Stopped first, so that no sink of a finished class goes on retrying against a closed pool while the next
     * classes run.
     */
    @AfterAll
    void stopPipelineAndCloseConnectionPools() {
        // found before the stop: a stopped context's registry no longer lists them
        java.util.Set<HikariDataSource> pools = context.getRegistry().findByType(HikariDataSource.class);
        context.stop();
        pools.forEach(HikariDataSource::close);
    }

    /** Lets a test class change configuration further. */
    protected void overrideProperties(Properties properties) {
    }

    protected String property(String key) {
        return context.getPropertiesComponent().resolveProperty(key)
                .orElseThrow(() -> new IllegalArgumentException(key));
    }

    protected String topic() {
        return property("orders.kafka.topic");
    }

    protected String deadLetterTopic() {
        return property("orders.kafka.dlt-topic");
    }

    protected OrdersClient api() {
        return new OrdersClient("http://127.0.0.1:" + property("orders.http.port"));
    }

    protected OrdersClient management() {
        return new OrdersClient("http://127.0.0.1:" + property("orders.management.port"));
    }

    protected OrdersDatabase database() {
        return new OrdersDatabase(SERVICES.jdbcUrl());
    }

    /** This class's topics, consumer group and database, for {@link FaultReport#verify}. */
    protected FaultReport.Pipeline pipeline() {
        return new FaultReport.Pipeline(SERVICES.bootstrapServers(), topic(), deadLetterTopic(),
                property("orders.kafka.consumer-group"), database());
    }

    protected TopicReader kafka() {
        return new TopicReader(SERVICES.bootstrapServers());
    }
}
