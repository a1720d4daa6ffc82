package io.orderpipeline.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Posts orders from a few threads until stopped, as a careful client does: each order under an Idempotency-Key of its
 * own, sent again with the same key after a timeout, a 5xx, a 409 or a dropped connection until it is answered 200 (or
 * the generator stops). Remembers the id of every order answered with 200 (the ones the pipeline promised to keep),
 * every key sent (its order's description carries it, so the rows can be counted per key) and every outcome.
 */
public final class LoadGenerator implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int[] CHANNELS = {0, 1, 2, 3, 4, 11, 12, 13, 14, 21, 23, 31, 32, 33, 34, 41, 42, 51, 52, 53,
            54, 61};

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI uri;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Queue<UUID> acknowledged = new ConcurrentLinkedQueue<>();
    private final Queue<String> keys = new ConcurrentLinkedQueue<>();
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final AtomicLong slowestRejectionMillis = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    /** requests sent and not answered yet, by ticket */
    private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicLong tickets = new AtomicLong();
    /** the requests in flight when a fault struck, and what became of them */
    private final Set<Long> struck = ConcurrentHashMap.newKeySet();
    private final Map<String, LongAdder> struckOutcomes = new ConcurrentHashMap<>();
    /** acknowledgements before the first fault, while one lasted, and after it (or between faults) */
    private final LongAdder before = new LongAdder();
    private final LongAdder during = new LongAdder();
    private final LongAdder after = new LongAdder();
    private volatile boolean faulted;
    private volatile boolean faultSeen;
    private final Queue<Integer> inFlightAtFaults = new ConcurrentLinkedQueue<>();

    private final boolean withKeys;

    public LoadGenerator(String baseUrl, int threadCount) {
        this(baseUrl, threadCount, true);
    }

    /** A generator whose orders carry no Idempotency-Key and are not sent again: each attempt is a new order. */
    public static LoadGenerator withoutKeys(String baseUrl, int threadCount) {
        return new LoadGenerator(baseUrl, threadCount, false);
    }

    private LoadGenerator(String baseUrl, int threadCount, boolean withKeys) {
        this.withKeys = withKeys;
        this.uri = URI.create(baseUrl + "/orders");
        for (int i = 0; i < threadCount; i++) {
            Thread thread = new Thread(this::loop, "load-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    private void loop() {
        while (running.get()) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            String key = UUID.randomUUID().toString();
            String body = "{\"src_currency\": " + random.nextInt(1000) + ", \"dst_currency\": " + random.nextInt(1000)
                    + ", \"description\": \"" + description(key) + "\", \"channel\": "
                    + CHANNELS[random.nextInt(CHANNELS.length)] + "}";
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
            if (withKeys) {
                builder.header("Idempotency-Key", key);
                keys.add(key);
            }
            HttpRequest request = builder.build();
            while (running.get() && sendAgain(request)) {
                // sent again under the same key
            }
        }
    }

    /** Sends the request once; whether to send it again (a careful client's retry, only with a key). */
    private boolean sendAgain(HttpRequest request) {
        long start = System.nanoTime();
        long ticket = tickets.incrementAndGet();
        inFlight.add(ticket);
        String outcome = "no answer";
        long pauseMillis = 0;
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            outcome = String.valueOf(status);
            if (status == 200) {
                UUID id = orderId(response.body());
                if (id == null) {
                    outcome = NOT_AN_ORDER; // a 200 without an order: never taken for an acknowledgement
                } else {
                    acknowledged.add(id);
                    (faulted ? during : faultSeen ? after : before).increment();
                }
                return false;
            }
            slowestRejectionMillis.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
            if (!withKeys || (status != 409 && status != 429 && status < 500)) {
                return false; // the order itself is refused: sending it again changes nothing
            }
            pauseMillis = status == 409 ? 500 : 50;
            return true;
        } catch (Exception e) {
            pauseMillis = 50; // connection refused while the pipeline is down: do not spin
            return withKeys;
        } finally {
            inFlight.remove(ticket);
            count(outcome);
            if (struck.contains(ticket)) {
                struckOutcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
            }
            pause(pauseMillis);
        }
    }

    /** The outcome of a 200 whose body is not an order with an id (FaultReport fails on it). */
    public static final String NOT_AN_ORDER = "200 not an order";

    private static UUID orderId(String body) {
        try {
            JsonNode id = JSON.readTree(body).get("id");
            return id == null ? null : UUID.fromString(id.asText());
        } catch (Exception e) {
            return null;
        }
    }

    /** The description of the order sent under this key: how a test finds the rows of a key. */
    public static String description(String key) {
        return "load " + key;
    }

    private void count(String outcome) {
        outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
    }

    /** Waits until at least this many more orders were acknowledged. */
    public void awaitAcknowledged(int more, Duration timeout) {
        long target = acknowledged.size() + more;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (acknowledged.size() < target) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + acknowledged.size() + " of " + target + " orders acknowledged; "
                        + outcomes());
            }
            pause(20);
        }
    }

    /**
     * Marks the moment a fault strikes (call it the instant before): acknowledgements from now on count as "during"
     * until {@link #recovered()}.
     *
     * @return the requests in flight at this moment (sent, not answered)
     */
    public int fault() {
        faulted = true;
        faultSeen = true;
        Set<Long> now = Set.copyOf(inFlight);
        struck.addAll(now);
        inFlightAtFaults.add(now.size());
        return now.size();
    }

    /** Marks the end of the fault: acknowledgements from now on count as "after". */
    public void recovered() {
        faulted = false;
    }

    /**
     * Acknowledgements by phase, the requests in flight at each fault ({@link #fault()}) and their outcomes; all null
     * when the test marked no fault.
     */
    public record Phases(Long before, Long during, Long after, List<Integer> inFlightAtFaults,
            Map<String, Long> struckOutcomes) {
        static final Phases UNMARKED = new Phases(null, null, null, List.of(), Map.of());

        /** the fewest requests in flight at any of the faults */
        public int leastInFlight() {
            return inFlightAtFaults.stream().mapToInt(Integer::intValue).min().orElse(0);
        }
    }

    public Phases phases() {
        Map<String, Long> struckAnswers = new java.util.TreeMap<>();
        struckOutcomes.forEach((k, v) -> struckAnswers.put(k, v.sum()));
        return faultSeen ? new Phases(before.sum(), during.sum(), after.sum(), List.copyOf(inFlightAtFaults),
                struckAnswers) : Phases.UNMARKED;
    }

    /** What the generator saw, for {@link FaultReport#verify}: call after {@link #stop()}. */
    public record Result(List<UUID> acknowledged, List<String> keys, Map<String, Long> outcomes, Phases phases) {

        /** Several generators' results as one (their phases unmarked). */
        public static Result combined(List<Result> results) {
            List<UUID> acknowledged = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            Map<String, Long> outcomes = new java.util.TreeMap<>();
            for (Result r : results) {
                acknowledged.addAll(r.acknowledged());
                keys.addAll(r.keys());
                r.outcomes().forEach((k, v) -> outcomes.merge(k, v, Long::sum));
            }
            return new Result(acknowledged, keys, outcomes, Phases.UNMARKED);
        }
    }

    public Result result() {
        return new Result(acknowledged(), keys(), outcomes(), phases());
    }

    public List<UUID> stop() {
        running.set(false);
        for (Thread thread : threads) {
            try {
                thread.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return acknowledged();
    }

    public List<UUID> acknowledged() {
        return List.copyOf(acknowledged);
    }

    /** Every Idempotency-Key sent, answered or not. */
    public List<String> keys() {
        return List.copyOf(keys);
    }

    public Map<String, Long> outcomes() {
        Map<String, Long> result = new java.util.TreeMap<>();
        outcomes.forEach((k, v) -> result.put(k, v.sum()));
        return result;
    }

    /**
     * How much longer than the producer's delivery timeout a refusal may take: the request waits its turn on a loaded
     * machine before its send starts the timeout's clock. What the promise rules out is a hang (no answer at all).
     */
    public static final long REFUSAL_GRACE_MILLIS = 3_000;

    public long slowestRejectionMillis() {
        return slowestRejectionMillis.get();
    }

    public long count(int status) {
        LongAdder adder = outcomes.get(String.valueOf(status));
        return adder == null ? 0 : adder.sum();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
