package io.orderpipeline.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Reads whole topics and writes raw records with plain Kafka clients, outside the pipeline. */
public final class TopicReader {

    private final String bootstrapServers;

    public TopicReader(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** A record header's last value as UTF-8 text; null when the record has no such header. */
    public static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Every record currently in the topic, from the beginning to the end offsets. */
    public List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end offsets " + end);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /**
     * How many records the topic has ever taken (the sum of its partitions' end offsets): "nothing published" is this
     * count unchanged, without reading the records.
     */
    public long endOffsets(String topic) {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            return consumer.endOffsets(partitions(consumer, topic)).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        return consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    /** One record; values up to the broker's limit (the producer's own limit is set above it). */
    public void send(String topic, String key, byte[] value, Map<String, String> headers) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 << 20,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            RecordHeaders recordHeaders = new RecordHeaders();
            headers.forEach((k, v) -> recordHeaders.add(k, v.getBytes()));
            producer.send(new ProducerRecord<>(topic, null, key, value, recordHeaders)).get();
        } catch (Exception e) {
            throw new AssertionError("could not produce to " + topic, e);
        }
    }

    /** Sends every record (key to value) with one producer, without waiting between them, then waits for all acks. */
    public void sendAll(String topic, Map<String, byte[]> records) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
            records.forEach((key, value) -> acks.add(producer.send(new ProducerRecord<>(topic, key, value))));
            for (java.util.concurrent.Future<?> ack : acks) {
                ack.get();
            }
        } catch (Exception e) {
            throw new AssertionError("could not produce to " + topic, e);
        }
    }
}
