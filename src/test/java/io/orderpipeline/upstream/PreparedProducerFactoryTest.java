package io.orderpipeline.upstream;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import io.orderpipeline.platform.kafka.KafkaClients;
import io.orderpipeline.platform.kafka.TopicProvisioner;
import io.orderpipeline.support.EmbeddedServices;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * orders-api sends on the Vert.x event loop, where a send must not wait for the topic's metadata: the producer this
 * factory makes already has it, so even with the broker gone a send returns at once (its record then fails
 * asynchronously, and the order gets its 503 without holding up the others).
 */
class PreparedProducerFactoryTest {

    private static final EmbeddedServices SERVICES = EmbeddedServices.get();
    private static final Duration MAX_BLOCK = Duration.ofSeconds(3);

    @Test
    void aSendNeverWaitsForTheTopicsMetadataEvenWithTheBrokerDown() throws Exception {
        String topic = "prepared-producer-test";
        new TopicProvisioner(new io.orderpipeline.platform.kafka.KafkaClients(SERVICES.bootstrapServers(), java.util.Map.of()), Duration.ofSeconds(15))
                .ensure(List.of(new NewTopic(topic, 2, (short) 1)));

        try (Producer<String, String> prepared = new PreparedProducerFactory(topic).getProducer(properties());
             Producer<String, String> plain = new KafkaProducer<>(properties())) {
            SERVICES.stopKafka();
            try {
                long start = System.nanoTime();
                prepared.send(new ProducerRecord<>(topic, "key", "value"));
                assertThat(Duration.ofNanos(System.nanoTime() - start))
                        .as("the prepared producer's send returns without waiting").isLessThan(MAX_BLOCK.dividedBy(3));

                // what the factory prevents: a producer that has not seen the topic waits max.block.ms for it
                start = System.nanoTime();
                Future<?> waited = plain.send(new ProducerRecord<>(topic, "key", "value"));
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(MAX_BLOCK);
                assertThatThrownBy(waited::get).hasCauseInstanceOf(TimeoutException.class)
                        .hasMessageContaining("metadata");
            } finally {
                SERVICES.startKafka();
            }
        }
    }

    @Test
    void keepsTheTopicsMetadataWhileTheTopicIsIdleUnlessConfiguredOtherwise() {
        Properties defaults = PreparedProducerFactory.withKeptMetadata(properties());
        assertThat(Long.parseLong(defaults.getProperty(ProducerConfig.METADATA_MAX_IDLE_CONFIG)))
                .isGreaterThanOrEqualTo(Duration.ofDays(30).toMillis());

        Properties configured = properties();
        configured.put(ProducerConfig.METADATA_MAX_IDLE_CONFIG, "60000");
        assertThat(PreparedProducerFactory.withKeptMetadata(configured).getProperty(ProducerConfig.METADATA_MAX_IDLE_CONFIG))
                .isEqualTo("60000");
    }

    @Test
    void anUnreachableBrokerDoesNotStopTheProducerFromBeingMade() {
        Properties unreachable = properties();
        unreachable.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + EmbeddedServices.freePort());
        unreachable.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "500");

        try (Producer<?, ?> producer = new PreparedProducerFactory("anything").getProducer(unreachable)) {
            assertThat(producer).isNotNull();
        }
    }

    @Test
    void whileTheBrokerHasNotAnsweredSinceTheStartTheProducerIsMadeWithoutWaitingForIt() throws Exception {
        Properties unreachable = properties();
        unreachable.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + EmbeddedServices.freePort());
        unreachable.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(MAX_BLOCK.toMillis()));
        try (CamelContext context = new DefaultCamelContext()) {
            PreparedProducerFactory factory = new PreparedProducerFactory("anything");
            factory.setCamelContext(context);

            AtomicBoolean answered = new AtomicBoolean(false);
            context.getRegistry().bind(PreparedProducerFactory.BROKER_ANSWERED, (BooleanSupplier) answered::get);
            long start = System.nanoTime();
            try (Producer<?, ?> producer = factory.getProducer(unreachable)) {
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(MAX_BLOCK.dividedBy(3));
            }

            // what the registry's answer saves: with the broker said to be there, the fetch waits max.block.ms
            answered.set(true);
            start = System.nanoTime();
            try (Producer<?, ?> producer = factory.getProducer(unreachable)) {
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(MAX_BLOCK);
            }
        }
    }

    private static Properties properties() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SERVICES.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(MAX_BLOCK.toMillis()));
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "5000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "4000");
        return props;
    }
}
