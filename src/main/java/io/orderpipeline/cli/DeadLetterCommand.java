package io.orderpipeline.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import io.orderpipeline.order.RecordHeaders;
import io.orderpipeline.platform.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code dlq list}, {@code dlq show} and {@code dlq replay}: the dead-letter topic for an operator, without kcat.
 * Output is tab-separated lines on stdout (a header line first for {@code list}; a name and a value per line for
 * {@code show}), a summary on stderr; exit 0 when done (also when nothing was to do), 1 on a failure or when there is
 * no such dead letter, 2 on bad usage.
 * <p>
 * Replay republishes each dead letter to the orders topic with its original key, value and headers (the client id,
 * the trace context; not the {@code dlt.*} ones the sink added) and a {@code dlt.replays} header one higher than the
 * dead letter carried (the sink's dead-letter step keeps a record's headers, so a replayed record that fails again
 * comes back counted). A record replayed {@code orders.dlq.max-replays} times already is skipped. Progress is the
 * committed offset of the consumer group {@code orders.dlq.replay-group}, committed only after the broker
 * acknowledged the republished records: a second run starts where the first stopped, and a crash in between
 * republishes at most the last poll again (the sink stores an order id once). {@code --reason} and {@code --key}
 * replay only the dead letters that match and leave that progress where it was, so a later replay still sees the
 * others.
 */
final class DeadLetterCommand {

    static final String USAGE = """
            dlq list [--limit N]      the dead letters, oldest first (default limit 100)
            dlq show PARTITION:OFFSET one dead letter: where it came from, its headers and its value
            dlq replay [--since TIME | --from-offset N] [--reason PREFIX] [--key ID] [--dry-run]
                                      republish the dead letters not replayed yet to the orders topic, with
                                      their headers (client id, trace context) and a replay count
                                      (TIME: ISO-8601 instant, e.g. 2026-12-01T10:00:00Z); --reason (e.g.
                                      database:) and --key replay only the dead letters that match, and a
                                      later replay still sees the others""";
    private static final Duration POLL = Duration.ofMillis(500);

    private final Settings settings;
    private final KafkaClients kafka;
    private final PrintStream out;
    private final PrintStream err;
    private final Duration timeout;

    DeadLetterCommand(Settings settings, PrintStream out, PrintStream err) {
        this.settings = settings;
        this.kafka = KafkaClients.from(settings::find);
        this.out = out;
        this.err = err;
        this.timeout = Duration.ofMillis(settings.getInt("orders.kafka.startup-timeout-ms"));
    }

    int run(List<String> args) {
        if (args.isEmpty()) {
            throw new UsageException("dlq needs list, show or replay:\n" + USAGE);
        }
        if (args.get(0).equals("show")) {
            if (args.size() != 2) {
                throw new UsageException("dlq show takes one PARTITION:OFFSET, e.g. dlq show 3:17");
            }
            return show(args.get(1));
        }
        Map<String, String> options = options(args.subList(1, args.size()));
        return switch (args.get(0)) {
            case "list" -> {
                allowOnly(options, Set.of("--limit"));
                yield list(number(options, "--limit", 100));
            }
            case "replay" -> {
                allowOnly(options, Set.of("--since", "--from-offset", "--reason", "--key", "--dry-run"));
                if (options.containsKey("--since") && options.containsKey("--from-offset")) {
                    throw new UsageException("dlq replay takes --since or --from-offset, not both");
                }
                yield replay(since(options), options.containsKey("--from-offset")
                        ? number(options, "--from-offset", 0) : -1, filter(options), options.containsKey("--dry-run"));
            }
            default -> throw new UsageException("unknown dlq command '" + args.get(0) + "':\n" + USAGE);
        };
    }

    private int list(long limit) {
        String topic = settings.get("orders.kafka.dlt-topic");
        List<ConsumerRecord<String, byte[]>> letters = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> replayed;
        try (KafkaConsumer<String, byte[]> consumer = consumer(settings.get("orders.dlq.replay-group"))) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            replayed = partitions.isEmpty() ? Map.of() : consumer.committed(Set.copyOf(partitions), timeout);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            readToEnd(consumer, partitions, letters::add, () -> { });
        }
        letters.sort(Comparator.comparingLong(ConsumerRecord<String, byte[]>::timestamp)
                .thenComparingInt(ConsumerRecord::partition).thenComparingLong(ConsumerRecord::offset));
        out.println("partition\toffset\ttime\tkey\treason\treplays\tstate");
        letters.stream().limit(limit).forEach(r -> {
            OffsetAndMetadata done = replayed.get(new TopicPartition(r.topic(), r.partition()));
            out.println(r.partition() + "\t" + r.offset() + "\t" + Instant.ofEpochMilli(r.timestamp()) + "\t"
                    + printable(r.key()) + "\t" + printable(header(r, RecordHeaders.DLT_REASON)) + "\t" + replays(r) + "\t"
                    + (done != null && r.offset() < done.offset() ? "replayed" : "waiting"));
        });
        err.printf("%d of %d dead letters in %s%n", Math.min(limit, letters.size()), letters.size(), topic);
        return 0;
    }

    /** Prints the dead letter at PARTITION:OFFSET, one name and value per line. */
    private int show(String at) {
        String[] parts = at.split(":", -1);
        int partition;
        long offset;
        try {
            if (parts.length != 2) {
                throw new NumberFormatException();
            }
            partition = Integer.parseInt(parts[0]);
            offset = Long.parseLong(parts[1]);
            if (partition < 0 || offset < 0) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new UsageException("dlq show needs PARTITION:OFFSET of two numbers of 0 or more, e.g. 3:17, got '"
                    + at + "'");
        }
        String topic = settings.get("orders.kafka.dlt-topic");
        try (KafkaConsumer<String, byte[]> consumer = consumer(settings.get("orders.dlq.replay-group"))) {
            TopicPartition where = new TopicPartition(topic, partition);
            if (!partitions(consumer, topic).contains(where)) {
                err.printf("%s has no partition %d%n", topic, partition);
                return 1;
            }
            long end = consumer.endOffsets(List.of(where), timeout).get(where);
            if (offset >= end || offset < consumer.beginningOffsets(List.of(where), timeout).get(where)) {
                err.printf("no dead letter at %d:%d (partition %d holds offsets up to %d)%n", partition, offset,
                        partition, end - 1);
                return 1;
            }
            consumer.assign(List.of(where));
            consumer.seek(where, offset);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                    if (r.offset() == offset) {
                        out.println("partition\t" + r.partition());
                        out.println("offset\t" + r.offset());
                        out.println("time\t" + Instant.ofEpochMilli(r.timestamp()));
                        out.println("key\t" + printable(r.key()));
                        for (Header h : r.headers()) {
                            out.println("header\t" + printable(h.key()) + "\t" + printable(
                                    h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8)));
                        }
                        out.println("value\t" + printable(
                                r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8)));
                        return 0;
                    }
                    if (r.offset() > offset) {
                        // a transaction's marker or a compacted record was there
                        err.printf("no dead letter at %d:%d%n", partition, offset);
                        return 1;
                    }
                }
            }
            err.printf("dead letter %d:%d not read within %d ms%n", partition, offset, timeout.toMillis());
            return 1;
        }
    }

    /** Which dead letters a replay takes: those whose reason starts with --reason and whose key is --key. */
    private static Predicate<ConsumerRecord<String, byte[]>> filter(Map<String, String> options) {
        String reason = options.get("--reason");
        String key = options.get("--key");
        if (reason != null && reason.isEmpty() || key != null && key.isEmpty()) {
            throw new UsageException("--reason and --key need a value");
        }
        if (reason == null && key == null) {
            return null;
        }
        return record -> {
            String given = header(record, RecordHeaders.DLT_REASON);
            return (reason == null || given != null && given.startsWith(reason))
                    && (key == null || key.equals(record.key()));
        };
    }

    /**
     * @param only null: every dead letter, and the group's progress moves past them; otherwise only those it takes,
     *             and the progress stays
     */
    private int replay(Instant since, long fromOffset, Predicate<ConsumerRecord<String, byte[]>> only,
                       boolean dryRun) {
        String topic = settings.get("orders.kafka.dlt-topic");
        String target = settings.get("orders.kafka.topic");
        int maxReplays = settings.getInt("orders.dlq.max-replays");
        int[] counts = new int[3]; // replayed, skipped, not matching
        try (KafkaConsumer<String, byte[]> consumer = consumer(settings.get("orders.dlq.replay-group"));
                KafkaProducer<String, byte[]> producer = dryRun ? null : producer()) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            startAt(consumer, partitions, since, fromOffset);
            readToEnd(consumer, partitions, record -> {
                if (only != null && !only.test(record)) {
                    counts[2]++;
                    return;
                }
                int replays = replays(record);
                String line = record.partition() + "\t" + record.offset() + "\t" + printable(record.key());
                if (replays >= maxReplays) {
                    counts[1]++;
                    out.println("skipped\t" + line + "\t" + replays);
                    return;
                }
                counts[0]++;
                out.println((dryRun ? "would-replay\t" : "replayed\t") + line + "\t" + (replays + 1));
                if (!dryRun) {
                    ProducerRecord<String, byte[]> again = new ProducerRecord<>(target, record.key(), record.value());
                    for (Header header : record.headers()) {
                        // the order's own headers (client id, trace context, contract), not the dead letter's
                        if (!header.key().startsWith(RecordHeaders.DEAD_LETTER_PREFIX)) {
                            again.headers().add(header);
                        }
                    }
                    again.headers().add(RecordHeaders.DLT_REPLAYS,
                            String.valueOf(replays + 1).getBytes(StandardCharsets.UTF_8));
                    producer.send(again);
                }
            }, () -> {
                if (!dryRun) {
                    producer.flush(); // throws if a record was not acknowledged: nothing is committed then
                    if (only != null) {
                        return; // a filtered replay leaves the progress for a full one
                    }
                    Map<TopicPartition, OffsetAndMetadata> progress = new HashMap<>();
                    partitions.forEach(p -> progress.put(p, new OffsetAndMetadata(consumer.position(p, timeout))));
                    consumer.commitSync(progress, timeout);
                }
            });
        }
        err.printf("%s %d, skipped %d (replayed %d times already)%s, from %s to %s%n", dryRun ? "would replay"
                : "replayed", counts[0], counts[1], maxReplays,
                only == null ? "" : ", " + counts[2] + " not matching (progress left where it was)", topic, target);
        return 0;
    }

    /** Each partition from where the last replay stopped, or later where --since or --from-offset says. */
    private void startAt(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions, Instant since,
            long fromOffset) {
        if (partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions), timeout);
        Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions, timeout);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        Map<TopicPartition, OffsetAndTimestamp> atTime = null;
        if (since != null) {
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(p -> query.put(p, since.toEpochMilli()));
            atTime = consumer.offsetsForTimes(query, timeout);
        }
        for (TopicPartition p : partitions) {
            long start = committed.get(p) != null ? committed.get(p).offset() : beginning.get(p);
            if (atTime != null) {
                OffsetAndTimestamp found = atTime.get(p);
                start = Math.max(start, found == null ? end.get(p) : found.offset());
            } else if (fromOffset >= 0) {
                start = Math.max(start, fromOffset);
            }
            consumer.seek(p, start);
        }
    }

    /** Reads every partition up to where it ended when the read began; {@code afterPoll} runs after each poll. */
    private void readToEnd(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions,
            java.util.function.Consumer<ConsumerRecord<String, byte[]>> each, Runnable afterPoll) {
        if (partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        while (partitions.stream().anyMatch(p -> consumer.position(p, timeout) < end.get(p))) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                    each.accept(record);
                }
            }
            afterPoll.run();
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        List<TopicPartition> partitions = new ArrayList<>();
        if (infos != null) {
            infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
        }
        partitions.sort(Comparator.comparingInt(TopicPartition::partition));
        return partitions;
    }

    private KafkaConsumer<String, byte[]> consumer(String group) {
        Map<String, Object> config = new LinkedHashMap<>(kafka.security());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private KafkaProducer<String, byte[]> producer() {
        Map<String, Object> config = new LinkedHashMap<>(kafka.security());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(timeout.toMillis(), 30_000));
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, settings.getInt("orders.kafka.dlt-max-message-bytes"));
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    private static int replays(ConsumerRecord<String, byte[]> record) {
        String value = header(record, RecordHeaders.DLT_REPLAYS);
        try {
            return value == null ? 0 : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** One field of a tab-separated line: no tab, line break or other control character (keys are anyone's). */
    private static String printable(String text) {
        return text == null ? "-" : text.replaceAll("\\p{Cntrl}", "?");
    }

    private static Map<String, String> options(List<String> args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--dry-run")) {
                options.put(arg, "");
            } else if (arg.startsWith("--") && arg.contains("=")) {
                options.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            } else if (arg.startsWith("--")) {
                if (i + 1 >= args.size()) {
                    throw new UsageException(arg + " needs a value");
                }
                options.put(arg, args.get(++i));
            } else {
                throw new UsageException("unexpected argument '" + arg + "':\n" + USAGE);
            }
        }
        return options;
    }

    private static void allowOnly(Map<String, String> options, Set<String> allowed) {
        options.keySet().stream().filter(o -> !allowed.contains(o)).findFirst().ifPresent(o -> {
            throw new UsageException("unknown option " + o + ":\n" + USAGE);
        });
    }

    private static long number(Map<String, String> options, String name, long otherwise) {
        String value = options.get(name);
        try {
            long n = value == null ? otherwise : Long.parseLong(value);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " needs a number of 0 or more, got '" + value + "'");
        }
    }

    private static Instant since(Map<String, String> options) {
        String value = options.get("--since");
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new UsageException("--since needs an ISO-8601 instant such as 2026-12-01T10:00:00Z, got '" + value
                    + "'");
        }
    }
}
