package io.orderpipeline.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
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
     * @param records       records of the acknowledged orders in the orders topic
     * @param republished   records beyond the first of an acknowledged order in the topic: a retry under the same
     *                      Idempotency-Key after a lost answer publishes the same order (same id) again; the sink
     *                      stores it once
     * @param keys          Idempotency-Keys the load generator sent (each order under its own, with its retries)
     * @param keyDuplicates rows beyond the first of one key: a retry that made a second order (the table cannot hold
     *                      an id twice, so this is where a duplicate order would show)
     * @param keyDuplicatesInTopic ids beyond the first published under one key: a second order the broker has,
     *                      whether or not the sink stored it yet
     */
    public record Figures(String test, int acknowledged, long records, long republished, long found, long missing,
            int keys, long keyDuplicates, long deadLetters, Map<String, Long> outcomes, long keyDuplicatesInTopic) {
        String row() {
            // a column that cannot be non-zero by construction says so instead of showing a 0 that looks like evidence
            boolean keyless = keys == 0;
            boolean retried = outcomes.keySet().stream().anyMatch(o -> !o.equals("200"));
            return "| " + test + " | " + acknowledged + " | " + records + " | "
                    + (keyless || !retried ? "n/a" : String.valueOf(republished)) + " | " + found + " | " + missing
                    + " | " + (keyless ? "n/a" : String.valueOf(keys)) + " | "
                    + (keyless ? "n/a" : String.valueOf(keyDuplicates)) + " | " + deadLetters + " | " + outcomes + " | "
                    + (keyless ? "n/a" : String.valueOf(keyDuplicatesInTopic)) + " |";
        }
    }

    public static Figures figures(String test, Collection<UUID> acknowledged, Collection<String> keys,
            OrdersDatabase db, List<ConsumerRecord<String, byte[]>> topic, long deadLetters,
            Map<String, Long> outcomes) {
        long found = db.stored(acknowledged).size();
        Set<String> ids = acknowledged.stream().map(UUID::toString).collect(Collectors.toSet());
        Map<String, Long> perId = topic.stream().map(ConsumerRecord::key).filter(ids::contains)
                .collect(Collectors.groupingBy(k -> k, Collectors.counting()));
        long records = perId.values().stream().mapToLong(Long::longValue).sum();
        long republished = perId.values().stream().mapToLong(c -> c - 1).sum();
        // the id is the table's primary key: a second order can only show as a second row under its key
        // the generator writes each order's key into its description
        List<String> descriptions = keys.stream().map(LoadGenerator::description).toList();
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
                keys.size(), keyDuplicates, deadLetters, outcomes, keyDuplicatesInTopic);
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
     * Waits (up to two minutes) until every acknowledged order is in PostgreSQL, then records the figures whatever
     * they are, and only then requires: each acknowledged order in the topic and once in the table, no key with two
     * orders, none dead-lettered, and as many 200s as acknowledged ids (no 200 without an order in its body).
     *
     * @param keys     every Idempotency-Key the load generator sent
     * @param topic    every record of the orders topic
     * @param outcomes every attempt's outcome by status ("200" once per acknowledged order)
     */
    public static Figures verify(String test, Collection<UUID> acknowledged, Collection<String> keys,
            OrdersDatabase db, Supplier<List<ConsumerRecord<String, byte[]>>> topic,
            java.util.function.LongSupplier deadLetters, Map<String, Long> outcomes) {
        return verify(test, acknowledged, keys, db, topic, deadLetters, outcomes, java.time.Duration.ofSeconds(120));
    }

    /** As above, waiting at most {@code wait} for the acknowledged orders to be stored. */
    public static Figures verify(String test, Collection<UUID> acknowledged, Collection<String> keys,
            OrdersDatabase db, Supplier<List<ConsumerRecord<String, byte[]>>> topic,
            java.util.function.LongSupplier deadLetters, Map<String, Long> outcomes, java.time.Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!db.allStored(acknowledged) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        Figures figures = figures(test, acknowledged, keys, db, topic.get(), deadLetters.getAsLong(), outcomes);
        record(figures);
        org.assertj.core.api.SoftAssertions soft = new org.assertj.core.api.SoftAssertions();
        soft.assertThat(figures.missing()).as("acknowledged but not stored").isZero();
        soft.assertThat(figures.keyDuplicates()).as("second orders under one Idempotency-Key in PostgreSQL").isZero();
        soft.assertThat(figures.keyDuplicatesInTopic()).as("second orders under one Idempotency-Key in the topic")
                .isZero();
        soft.assertThat(figures.records() - figures.republished()).as("acknowledged orders in the topic")
                .isEqualTo(figures.acknowledged());
        soft.assertThat(figures.deadLetters()).as("dead-lettered").isZero();
        soft.assertThat(outcomes.getOrDefault("200", 0L)).as("200s against the acknowledged ids")
                .isEqualTo(figures.acknowledged());
        soft.assertThat(outcomes).as("a 200 whose body is not an order").doesNotContainKey(LoadGenerator.NOT_AN_ORDER);
        soft.assertAll();
        return figures;
    }

    public static synchronized void record(Figures figures) {
        System.out.println("FAULT FIGURES " + figures.row());
        try {
            if (!Files.exists(FILE)) {
                Files.createDirectories(FILE.getParent());
                Files.writeString(FILE, "| fault test | acknowledged (200) | their records in the topic"
                        + " | of them republished by a retry | found in PostgreSQL | missing | Idempotency-Keys sent"
                        + " | keys with a second order | dead letters | HTTP outcomes (of every attempt)"
                        + " | keys with a second order in the topic |\n"
                        + "|---|---|---|---|---|---|---|---|---|---|---|\n");
            }
            Files.writeString(FILE, figures.row() + "\n", StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One row of target/edge-figures.md: what was tried and what the pipeline did. */
    public static synchronized void edge(String check, String figures) {
        System.out.println("EDGE FIGURES | " + check + " | " + figures + " |");
        try {
            if (!Files.exists(EDGE_FILE)) {
                Files.createDirectories(EDGE_FILE.getParent());
                Files.writeString(EDGE_FILE, "| edge test | figures |\n|---|---|\n");
            }
            Files.writeString(EDGE_FILE, "| " + check + " | " + figures + " |\n", StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
