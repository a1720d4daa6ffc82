package io.orderpipeline.upstream;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code kafkaClientFactory} of the orders-api producer, whose sends run on the Vert.x event loop: a send may wait
 * (up to {@code max.block.ms}) only when the producer does not know the topic's partitions, so this factory asks for
 * them while the route starts, before the first request, and keeps them: by default a producer forgets a topic it has
 * not sent to for five minutes, and the next order would wait for a metadata round trip on the event loop again (for
 * seconds, and every order behind it, if the broker were down just then). The metadata is still refreshed in the
 * background as usual. When the broker has not answered since the start (the registry's {@value #BROKER_ANSWERED} says
 * so), the fetch is skipped: it could only wait {@code max.block.ms} for nothing, once per producer, while the start
 * waits; the API's starting gate answers 503 until the broker answers, and the first order after that fetches the
 * partitions from a broker that is there. The producer it hands out acknowledges a send made on a Vert.x event loop
 * on that event loop ({@link AckOnSendingLoop}).
 * <p>
 * Gap: camel-kafka makes its producer without a look at the topic, and a Kafka producer's first send blocks on the
 * metadata (KIP-286; KAFKA-21243: sends stall again once {@code metadata.max.idle.ms} evicts it). No Camel issue as of
 * 2026-12-06. Without it: PreparedProducerFactoryTest.
 */
public class PreparedProducerFactory extends DefaultKafkaClientFactory implements CamelContextAware {

    /** the registry name of the {@link BooleanSupplier} that says whether the broker has answered since the start */
    public static final String BROKER_ANSWERED = "ordersBrokerAnswered";

    private static final Logger LOG = LoggerFactory.getLogger(PreparedProducerFactory.class);
    /** how long an unused topic's metadata is kept: far longer than any idle spell of a running pipeline */
    static final long KEEP_TOPIC_METADATA_MS = Duration.ofDays(365).toMillis();

    private final String topic;
    private CamelContext context;
    private final AtomicBoolean toldOnce = new AtomicBoolean();

    public PreparedProducerFactory(String topic) {
        this.topic = topic;
    }

    @Override
    public Producer getProducer(Properties kafkaProps) {
        Producer producer = super.getProducer(withKeptMetadata(kafkaProps));
        if (!brokerAnswered()) {
            if (toldOnce.compareAndSet(false, true)) { // one line, however many routes share this factory
                LOG.info("The broker has not answered yet: the partitions of topic {} are fetched at the first order",
                        topic);
            }
            return AckOnSendingLoop.wrap(producer);
        }
        try {
            int partitions = producer.partitionsFor(topic).size();
            LOG.debug("Producer for {} is ready: {} partitions", topic, partitions);
        } catch (KafkaException e) {
            // not fatal: the producer fetches the metadata again at its first send
            LOG.warn("Could not fetch the partitions of topic {} before the first order ({}); the first orders "
                     + "will wait for them", topic, e.toString());
        }
        return AckOnSendingLoop.wrap(producer);
    }

    private boolean brokerAnswered() {
        BooleanSupplier answered = context == null ? null
                : context.getRegistry().lookupByNameAndType(BROKER_ANSWERED, BooleanSupplier.class);
        return answered == null || answered.getAsBoolean();
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.context = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    /** The producer configuration with {@code metadata.max.idle.ms} raised, unless it was configured. */
    static Properties withKeptMetadata(Properties kafkaProps) {
        Properties props = new Properties();
        props.putAll(kafkaProps);
        props.putIfAbsent(ProducerConfig.METADATA_MAX_IDLE_CONFIG, String.valueOf(KEEP_TOPIC_METADATA_MS));
        return props;
    }
}
