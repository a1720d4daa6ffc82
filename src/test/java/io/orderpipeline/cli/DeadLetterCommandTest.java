package io.orderpipeline.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.orderpipeline.support.PipelineTestSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import static io.orderpipeline.support.TopicReader.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code order-pipeline dlq list} and {@code dlq replay} against the running pipeline's broker and sink: what an
 * operator does once the cause of dead letters is fixed.
 */
class DeadLetterCommandTest extends PipelineTestSupport {

    private static final String ORDER = """
            {"id": "%s", "src_currency": 1, "dst_currency": 2, "description": "replayed", "channel": 1,
             "created_at": "2026-11-27T10:15:30.123456Z"}""";

    @Test
    void replayRepublishesEachDeadLetterOnceAndTheOrderIsStoredOnce() throws Exception {
        UUID fixed = UUID.randomUUID();
        UUID exhausted = UUID.randomUUID();
        String poison = UUID.randomUUID().toString();
        kafka().send(deadLetterTopic(), fixed.toString(), ORDER.formatted(fixed).getBytes(StandardCharsets.UTF_8),
                Map.of("dlt.reason", "database:23514"));
        kafka().send(deadLetterTopic(), exhausted.toString(),
                ORDER.formatted(exhausted).getBytes(StandardCharsets.UTF_8),
                Map.of("dlt.reason", "database:23514", "dlt.replays", "3"));
        kafka().send(deadLetterTopic(), poison, "{not json".getBytes(StandardCharsets.UTF_8),
                Map.of("dlt.reason", "invalid:json"));
        Path config = config();

        List<String> listed = lines(run(config, "dlq", "list"));
        assertThat(listed.get(0)).isEqualTo("partition\toffset\ttime\tkey\treason\treplays\tstate");
        assertThat(listed).hasSize(4);
        assertThat(line(listed, fixed.toString())).endsWith("\tdatabase:23514\t0\twaiting");
        assertThat(line(listed, exhausted.toString())).endsWith("\t3\twaiting");

        List<String> dryRun = lines(run(config, "dlq", "replay", "--dry-run"));
        assertThat(line(dryRun, fixed.toString())).startsWith("would-replay\t").endsWith("\t1");
        assertThat(line(dryRun, exhausted.toString())).startsWith("skipped\t");
        assertThat(recordsKeyed(topic(), fixed.toString())).as("a dry run publishes nothing").isEmpty();

        List<String> replayed = lines(run(config, "dlq", "replay"));
        assertThat(line(replayed, fixed.toString())).startsWith("replayed\t").endsWith("\t1");
        assertThat(line(replayed, poison)).startsWith("replayed\t");
        assertThat(line(replayed, exhausted.toString())).startsWith("skipped\t").endsWith("\t3");

        // the fixed order is stored once; the record that still is not an order comes back, counted
        database().awaitStored(fixed);
        ConsumerRecord<String, byte[]> back = await().atMost(Duration.ofSeconds(30)).until(
                () -> recordsKeyed(deadLetterTopic(), poison).stream().filter(r -> header(r, "dlt.replays") != null)
                        .findFirst(), java.util.Optional::isPresent).orElseThrow();
        assertThat(header(back, "dlt.replays")).isEqualTo("1");
        assertThat(header(back, "dlt.reason")).isEqualTo("invalid:json");
        List<ConsumerRecord<String, byte[]>> republished = recordsKeyed(topic(), fixed.toString());
        assertThat(republished).hasSize(1);
        assertThat(header(republished.get(0), "dlt.replays")).isEqualTo("1");

        // a second run goes on from where the first stopped: only the new dead letter
        List<String> again = lines(run(config, "dlq", "replay"));
        assertThat(again).noneMatch(l -> l.contains(fixed.toString()) || l.contains(exhausted.toString()));
        assertThat(line(again, poison)).startsWith("replayed\t").endsWith("\t2");
        assertThat(recordsKeyed(topic(), fixed.toString())).hasSize(1);
        assertThat(database().stored(List.of(fixed, exhausted))).containsExactly(fixed);
        assertThat(line(lines(run(config, "dlq", "list")), fixed.toString())).endsWith("\treplayed");
    }

    @Test
    void badUsageIsRefusedWithTheUsage() throws Exception {
        Path config = config();
        assertThatThrownBy(() -> run(config, "dlq")).isInstanceOf(UsageException.class).hasMessageContaining("list");
        assertThatThrownBy(() -> run(config, "dlq", "replay", "--since", "yesterday"))
                .isInstanceOf(UsageException.class).hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> run(config, "dlq", "replay", "--since", "2026-12-01T00:00:00Z", "--from-offset", "3"))
                .isInstanceOf(UsageException.class).hasMessageContaining("not both");
        assertThatThrownBy(() -> run(config, "dlq", "list", "--limit", "-1"))
                .isInstanceOf(UsageException.class).hasMessageContaining("--limit");
    }

    @Test
    void listTakesALimitAndReplayStartsAtAnOffsetOrATimeWithASummaryOnStderr() throws Exception {
        String dlt = deadLetterTopic() + "-" + UUID.randomUUID();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            if (i == 2) {
                Thread.sleep(50); // the records from here on are later than `since`
            }
            String key = "dead-" + i + "-" + UUID.randomUUID();
            keys.add(key);
            kafka().send(dlt, key, ORDER.formatted(UUID.randomUUID()).getBytes(StandardCharsets.UTF_8),
                    Map.of("dlt.reason", "database:23514"));
        }
        Path config = config(dlt);
        java.time.Instant since = java.time.Instant.ofEpochMilli(kafka().readAll(dlt).stream()
                .filter(r -> r.key().equals(keys.get(2))).findFirst().orElseThrow().timestamp());

        String[] limited = runWithStderr(config, "dlq", "list", "--limit", "2");
        assertThat(lines(limited[0])).hasSize(3).element(1).asString().contains(keys.get(0));
        assertThat(limited[1]).contains("2 of 5 dead letters in " + dlt);

        String[] fromOffset = runWithStderr(config, "dlq", "replay", "--from-offset", "3", "--dry-run");
        assertThat(lines(fromOffset[0])).hasSize(2).allMatch(l -> l.startsWith("would-replay\t"))
                .anyMatch(l -> l.contains(keys.get(3))).anyMatch(l -> l.contains(keys.get(4)));
        assertThat(fromOffset[1]).startsWith("would replay 2, skipped 0");

        String[] fromTime = runWithStderr(config, "dlq", "replay", "--since", since.toString(), "--dry-run");
        assertThat(lines(fromTime[0])).hasSize(3).noneMatch(l -> l.contains(keys.get(0)) || l.contains(keys.get(1)));
        assertThat(recordsKeyed(topic(), keys.get(3))).as("a dry run publishes nothing").isEmpty();
    }

    @Test
    void replayKeepsTheOrdersHeadersTakesFiltersAndShowPrintsOneDeadLetter() throws Exception {
        String dlt = deadLetterTopic() + "-" + UUID.randomUUID();
        UUID unreachable = UUID.randomUUID();
        UUID refused = UUID.randomUUID();
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        kafka().send(dlt, unreachable.toString(), ORDER.formatted(unreachable).getBytes(StandardCharsets.UTF_8),
                Map.of("dlt.reason", "database:08006", "dlt.original.offset", "41", "client_id", "shop-7",
                        "traceparent", traceparent));
        kafka().send(dlt, refused.toString(), ORDER.formatted(refused).getBytes(StandardCharsets.UTF_8),
                Map.of("dlt.reason", "invalid:channel", "client_id", "shop-8"));
        Path config = config(dlt);

        // --reason: the database's dead letter only, with the order's own headers and a replay count
        String[] byReason = runWithStderr(config, "dlq", "replay", "--reason", "database:");
        assertThat(lines(byReason[0])).hasSize(1).first().asString().startsWith("replayed\t")
                .contains(unreachable.toString());
        assertThat(byReason[1]).contains("replayed 1, skipped 0").contains("1 not matching (progress left");
        ConsumerRecord<String, byte[]> republished = recordsKeyed(topic(), unreachable.toString()).get(0);
        assertThat(header(republished, "client_id")).isEqualTo("shop-7");
        assertThat(header(republished, "traceparent")).isEqualTo(traceparent);
        assertThat(header(republished, "dlt.replays")).isEqualTo("1");
        assertThat(header(republished, "dlt.reason")).as("the dead letter's own headers stay behind").isNull();
        assertThat(header(republished, "dlt.original.offset")).isNull();
        database().awaitStored(unreachable);

        // --key: that dead letter only; the filtered replays left the progress, so a full replay sees both
        assertThat(lines(run(config, "dlq", "replay", "--key", refused.toString()))).hasSize(1).first()
                .asString().contains(refused.toString());
        assertThat(lines(run(config, "dlq", "replay", "--dry-run")))
                .anyMatch(l -> l.contains(unreachable.toString())).anyMatch(l -> l.contains(refused.toString()));

        // show: one dead letter by the partition and offset list prints
        String[] listed = line(lines(run(config, "dlq", "list")), unreachable.toString()).split("\t");
        List<String> shown = lines(run(config, "dlq", "show", listed[0] + ":" + listed[1]));
        assertThat(shown).contains("partition\t" + listed[0], "offset\t" + listed[1], "key\t" + unreachable,
                "header\tclient_id\tshop-7", "header\tdlt.reason\tdatabase:08006",
                "header\ttraceparent\t" + traceparent);
        assertThat(shown).anySatisfy(l -> assertThat(l).startsWith("value\t{").contains(unreachable.toString()));
        assertThat(exitOf(config, "dlq", "show", listed[0] + ":999999")).isEqualTo(1);
        assertThatThrownBy(() -> run(config, "dlq", "show", "three")).isInstanceOf(UsageException.class)
                .hasMessageContaining("PARTITION:OFFSET");
        assertThatThrownBy(() -> run(config, "dlq", "replay", "--reason", "")).isInstanceOf(UsageException.class);
    }

    /** stdout and stderr of one run (the command writes its summary to System.err). */
    private static String[] runWithStderr(Path config, String... args) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            String out = run(config, args);
            return new String[] {out, err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(original);
        }
    }

    private Path config() throws Exception {
        return config(deadLetterTopic());
    }

    private Path config(String dlt) throws Exception {
        Path file = Files.createTempFile("dlq", ".properties");
        Files.writeString(file, String.join("\n",
                "orders.kafka.brokers = " + SERVICES.bootstrapServers(),
                "orders.kafka.topic = " + topic(),
                "orders.kafka.dlt-topic = " + dlt,
                "orders.dlq.replay-group = dlq-replay-" + UUID.randomUUID()));
        return file;
    }

    private static String run(Path config, String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertThat(exitOf(bytes, config, args)).as(String.join(" ", args)).isZero();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static int exitOf(Path config, String... args) throws Exception {
        return exitOf(new ByteArrayOutputStream(), config, args);
    }

    private static int exitOf(ByteArrayOutputStream out, Path config, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("-c", config.toString()));
        all.addAll(List.of(args));
        return new OrderPipeline(new PrintStream(out, true, StandardCharsets.UTF_8)).run(all.toArray(String[]::new));
    }

    private static List<String> lines(String output) {
        return output.lines().toList();
    }

    private static String line(List<String> lines, String key) {
        List<String> found = lines.stream().filter(l -> l.contains("\t" + key + "\t")).toList();
        assertThat(found).as("lines for " + key + " in\n" + String.join("\n", lines)).hasSize(1);
        return found.get(0);
    }

    private List<ConsumerRecord<String, byte[]>> recordsKeyed(String topic, String key) {
        return kafka().readAll(topic).stream().filter(r -> key.equals(r.key())).toList();
    }

}
