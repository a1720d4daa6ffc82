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

    private FaultReport() {
    }

    /**
     * @param records    records of the acknowledged orders in the orders topic (each should be there once)
     * @param duplicates records beyond the first of an acknowledged order in the topic: the place a second copy of an
     *                   order can occur (a retried send); the table cannot hold one, its key is the order id
     */
    public record Figures(String test, int acknowledged, long records, long found, long missing, long duplicates,
            long deadLetters, Map<String, Long> outcomes) {
        String row() {
            return "| " + test + " | " + acknowledged + " | " + records + " | " + found + " | " + missing + " | "
                    + duplicates + " | " + deadLetters + " | " + outcomes + " |";
        }
    }

    public static Figures figures(String test, Collection<UUID> acknowledged, OrdersDatabase db,
            List<ConsumerRecord<String, byte[]>> topic, long deadLetters, Map<String, Long> outcomes) {
        Map<UUID, Integer> rows = db.countsById(acknowledged);
        long found = rows.values().stream().filter(c -> c >= 1).count();
        Set<String> ids = acknowledged.stream().map(UUID::toString).collect(Collectors.toSet());
        Map<String, Long> perId = topic.stream().map(ConsumerRecord::key).filter(ids::contains)
                .collect(Collectors.groupingBy(k -> k, Collectors.counting()));
        long records = perId.values().stream().mapToLong(Long::longValue).sum();
        long duplicates = perId.values().stream().mapToLong(c -> c - 1).sum()
                + rows.values().stream().filter(c -> c > 1).mapToLong(c -> c - 1).sum();
        return new Figures(test, acknowledged.size(), records, found, acknowledged.size() - found, duplicates,
                deadLetters, outcomes);
    }

    /**
     * Waits until every acknowledged order is in PostgreSQL, records the figures, and requires: each acknowledged order
     * once in the topic and once in the table, none dead-lettered.
     *
     * @param topic every record of the orders topic
     */
    public static Figures verify(String test, Collection<UUID> acknowledged, OrdersDatabase db,
            Supplier<List<ConsumerRecord<String, byte[]>>> topic, java.util.function.LongSupplier deadLetters,
            Map<String, Long> outcomes) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(120))
                .pollInterval(java.time.Duration.ofSeconds(1))
                .until(() -> db.countsById(acknowledged).values().stream().allMatch(c -> c >= 1));
        Figures figures = figures(test, acknowledged, db, topic.get(), deadLetters.getAsLong(), outcomes);
        record(figures);
        org.assertj.core.api.Assertions.assertThat(figures.missing()).as("acknowledged but not stored").isZero();
        org.assertj.core.api.Assertions.assertThat(figures.duplicates()).as("in the topic or table twice").isZero();
        org.assertj.core.api.Assertions.assertThat(figures.records()).as("acknowledged orders in the topic")
                .isEqualTo(figures.acknowledged());
        org.assertj.core.api.Assertions.assertThat(figures.deadLetters()).as("dead-lettered").isZero();
        return figures;
    }

    public static synchronized void record(Figures figures) {
        System.out.println("FAULT FIGURES " + figures.row());
        try {
            if (!Files.exists(FILE)) {
                Files.createDirectories(FILE.getParent());
                Files.writeString(FILE, "| fault test | acknowledged (200) | their records in the topic"
                        + " | found in PostgreSQL | missing | duplicates | dead letters | HTTP outcomes |\n"
                        + "|---|---|---|---|---|---|---|---|\n");
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
