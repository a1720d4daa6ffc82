package io.orderpipeline.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Checks the promise after a fault test (every acknowledged order is in PostgreSQL exactly once) and records the
 * figures the test reached in target/fault-figures.md, one table row per test; the edge tests (slow clients, floods,
 * a frozen broker) write theirs to target/edge-figures.md.
 */
public final class FaultReport {

    private static final Path FILE = Path.of("target", "fault-figures.md");
    private static final Path EDGE_FILE = Path.of("target", "edge-figures.md");
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private FaultReport() {
    }

    /**
     * Where a fault test's pipeline keeps its orders: the broker, the orders and dead-letter topics, the sink's
     * consumer group and the database.
     */
    public record Pipeline(String brokers, String topic, String deadLetterTopic, String group, OrdersDatabase db) {
    }

    /**
     * @param records       records of the acknowledged orders in the orders topic
     * @param republished   records beyond the first of an acknowledged order in the topic: a retry under the same
     *                      Idempotency-Key after a lost answer publishes the same order (same id) again; the sink
     *                      stores it once
     * @param keys          Idempotency-Keys the load generator sent (each order under its own, with its retries)
     * @param keyDuplicates rows beyond the first of one key: a retry that made a second order (the table cannot hold
     *                      an id twice, so this is where a duplicate order would show)
     * @param keyDuplicatesInTopic ids beyond the first published under one key: a second order the broker has,
     *                      whether or not the sink stored it
     * @param lag           records the sink's group had not committed when the figures were taken
     * @param phases        acknowledgements before, during and after the fault, requests in flight when it struck
     */
    public record Figures(String test, int acknowledged, long records, long republished, long found, long missing,
            int keys, long keyDuplicates, long deadLetters, Map<String, Long> outcomes, long keyDuplicatesInTopic,
            long lag, LoadGenerator.Phases phases) {
        String row() {
            // a column that cannot be non-zero by construction says so instead of showing a 0 that looks like evidence
            boolean keyless = keys == 0;
            boolean retried = outcomes.keySet().stream().anyMatch(o -> !o.equals("200"));
            boolean marked = phases.before() != null;
            return "| " + test + " | " + acknowledged + " | "
                    + (marked ? phases.before() + " / " + phases.during() + " / " + phases.after() : "n/a") + " | "
                    + (marked ? phases.inFlightAtFaults().stream().map(String::valueOf)
                            .collect(Collectors.joining(", ")) + " " + phases.struckOutcomes() : "n/a") + " | "
                    + records + " | " + (keyless || !retried ? "n/a" : String.valueOf(republished)) + " | " + found
                    + " | " + missing + " | " + (keyless ? "n/a" : String.valueOf(keys)) + " | "
                    + (keyless ? "n/a" : String.valueOf(keyDuplicates)) + " | "
                    + (keyless ? "n/a" : String.valueOf(keyDuplicatesInTopic)) + " | " + lag + " | " + deadLetters
                    + " | " + outcomes + " |";
        }

        static final String HEADER = "| fault test | acknowledged (200) | of them before / during / after the fault"
                + " | requests in flight when it struck {their outcomes} | their records in the topic | of them republished by a retry"
                + " | found in PostgreSQL | missing | Idempotency-Keys sent | keys with a second order in PostgreSQL"
                + " | keys with a second order in the topic | sink's lag at the count | of them dead-lettered"
                + " | HTTP outcomes (of every attempt) |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
    }

    static Figures figures(String test, LoadGenerator.Result load, OrdersDatabase db,
            List<ConsumerRecord<String, byte[]>> topic, long deadLetters, long lag) {
        List<UUID> acknowledged = load.acknowledged();
        long found = db.stored(acknowledged).size();
        Set<String> ids = acknowledged.stream().map(UUID::toString).collect(Collectors.toSet());
        Map<String, Long> perId = topic.stream().map(ConsumerRecord::key).filter(ids::contains)
                .collect(Collectors.groupingBy(k -> k, Collectors.counting()));
        long records = perId.values().stream().mapToLong(Long::longValue).sum();
        long republished = perId.values().stream().mapToLong(c -> c - 1).sum();
        // the id is the table's primary key: a second order can only show as a second row under its key
        // the generator writes each order's key into its description
        List<String> descriptions = load.keys().stream().map(LoadGenerator::description).toList();
        long keyDuplicates = db.countsByDescription(descriptions).values()
                .stream().filter(c -> c > 1).mapToLong(c -> c - 1).sum();
        // ids per key among the published records
        Set<String> described = Set.copyOf(descriptions);
        long keyDuplicatesInTopic = topic.stream().filter(r -> r.key() != null && r.value() != null)
                .map(r -> Map.entry(descriptionOf(r.value()), r.key()))
                .filter(e -> described.contains(e.getKey()))
                .collect(Collectors.groupingBy(Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue,
                        Collectors.toSet())))
                .values().stream().mapToLong(idsOfKey -> idsOfKey.size() - 1).sum();
        return new Figures(test, acknowledged.size(), records, republished, found, acknowledged.size() - found,
                load.keys().size(), keyDuplicates, deadLetters, load.outcomes(), keyDuplicatesInTopic, lag,
                load.phases());
    }

    private static String descriptionOf(byte[] value) {
        try {
            com.fasterxml.jackson.databind.JsonNode description = JSON.readTree(value).get("description");
            return description == null ? "" : description.asText();
        } catch (IOException | RuntimeException e) {
            return ""; // not JSON (a poison record): no order's key
        }
    }

    /**
     * Waits (up to two minutes) until every acknowledged order is in PostgreSQL or the sink's group has committed the
     * whole topic, then until the latter (so a second order the sink would store is in the table by then), records the
     * figures whatever they are, and only then requires: each acknowledged order in the topic and once in the table, no key with two
     * orders in either, none dead-lettered, and as many 200s as acknowledged ids (no 200 without an order in its body).
     * What a test claims about its fault (orders acknowledged during it, requests in flight when it struck) it
     * requires itself from the figures returned.
     */
    public static Figures verify(String test, LoadGenerator.Result load, Pipeline pipeline) {
        return verify(test, load, pipeline, Duration.ofSeconds(120));
    }

    /** As above, waiting at most {@code wait} for the acknowledged orders to be stored and the lag to be 0. */
    public static Figures verify(String test, LoadGenerator.Result load, Pipeline pipeline, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        ConsumerGroup group = new ConsumerGroup(pipeline.brokers(), pipeline.group(), pipeline.topic());
        // every acknowledged order is in the topic (that is what the 200 said) and the load has stopped: once the
        // sink's group has committed the whole topic, it has stored all it ever will (it commits after storing)
        while (!pipeline.db().allStored(load.acknowledged()) && group.lag() > 0 && System.nanoTime() < deadline) {
            pause();
        }
        long lag = group.lag();
        while (lag > 0 && System.nanoTime() < deadline) {
            pause();
            lag = group.lag();
        }
        TopicReader kafka = new TopicReader(pipeline.brokers());
        Set<String> ids = load.acknowledged().stream().map(UUID::toString).collect(Collectors.toSet());
        long deadLetters = kafka.readAll(pipeline.deadLetterTopic()).stream()
                .filter(r -> r.key() != null && ids.contains(r.key())).count();
        Figures figures = figures(test, load, pipeline.db(), kafka.readAll(pipeline.topic()), deadLetters, lag);
        record(figures);
        org.assertj.core.api.SoftAssertions soft = new org.assertj.core.api.SoftAssertions();
        soft.assertThat(figures.missing()).as("acknowledged but not stored").isZero();
        soft.assertThat(figures.lag()).as("records the sink had not committed").isZero();
        soft.assertThat(figures.keyDuplicates()).as("second orders under one Idempotency-Key in PostgreSQL").isZero();
        soft.assertThat(figures.keyDuplicatesInTopic()).as("second orders under one Idempotency-Key in the topic")
                .isZero();
        soft.assertThat(figures.records() - figures.republished()).as("acknowledged orders in the topic")
                .isEqualTo(figures.acknowledged());
        soft.assertThat(figures.deadLetters()).as("acknowledged orders dead-lettered").isZero();
        soft.assertThat(figures.outcomes().getOrDefault("200", 0L)).as("200s against the acknowledged ids")
                .isEqualTo(figures.acknowledged());
        soft.assertThat(figures.outcomes()).as("a 200 whose body is not an order")
                .doesNotContainKey(LoadGenerator.NOT_AN_ORDER);
        soft.assertAll();
        return figures;
    }

    private static void pause() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public static void record(Figures figures) {
        System.out.println("FAULT FIGURES " + figures.row());
        append(FILE, Figures.HEADER, figures.row() + "\n");
    }

    /** One row of target/edge-figures.md: what was tried and what the pipeline did. */
    public static void edge(String check, String figures) {
        System.out.println("EDGE FIGURES | " + check + " | " + figures + " |");
        append(EDGE_FILE, "| edge test | figures |\n|---|---|\n", "| " + check + " | " + figures + " |\n");
    }

    /**
     * Appends a row, starting the file afresh (its header under a line naming the build) when it was written by an
     * earlier build: the surefire and failsafe JVMs of one build share it, a file lock keeps their rows whole.
     */
    private static synchronized void append(Path file, String header, String row) {
        String build = "<!-- build " + System.getProperty("orderpipeline.build", "outside Maven") + " -->\n";
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
                String text = Files.readString(file);
                if (!text.startsWith(build)) {
                    text = build + header;
                }
                byte[] bytes = (text + row).getBytes(StandardCharsets.UTF_8);
                channel.truncate(0);
                channel.write(ByteBuffer.wrap(bytes), 0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
