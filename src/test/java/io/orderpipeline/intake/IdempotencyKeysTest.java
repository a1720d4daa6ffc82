package io.orderpipeline.intake;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import io.orderpipeline.order.IdempotentOrder;
import io.orderpipeline.order.InvalidOrderException;
import io.orderpipeline.order.Order;
import io.orderpipeline.order.OrderBatchRequest;
import io.orderpipeline.order.OrderInFlightException;
import io.orderpipeline.order.OrderValidator;
import io.orderpipeline.platform.db.DatabaseMigrator;
import io.orderpipeline.support.EmbeddedServices;
import io.orderpipeline.support.ShippedProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The Idempotency-Key decision against the real PostgreSQL table, without Camel: what a request under a key
 * publishes or answers, while the first attempt is in flight, after {@code in-flight-seconds}, and after the key's
 * time to live.
 */
class IdempotencyKeysTest {

    private static final HikariDataSource DATA_SOURCE = new HikariDataSource();
    private static final OrderValidator VALIDATOR = new OrderValidator(1024, 65536, 1000);

    @BeforeAll
    static void migrate() {
        DATA_SOURCE.setJdbcUrl(EmbeddedServices.get().jdbcUrl());
        DATA_SOURCE.setUsername("orders");
        DATA_SOURCE.setPassword("orders");
        new DatabaseMigrator(DATA_SOURCE, "classpath:migrations").migrate();
    }

    @AfterAll
    static void close() {
        DATA_SOURCE.close();
    }

    /** The statements as shipped (they use no placeholder) */
    private static final java.util.Properties SHIPPED = ShippedProperties.load();

    private static IdempotencyKeys keys(int ttlSeconds, int inFlightSeconds) {
        return new IdempotencyKeys(DATA_SOURCE, SHIPPED.getProperty("orders.sql.claim-idempotency-key"),
                SHIPPED.getProperty("orders.sql.complete-idempotency-key"), ttlSeconds, inFlightSeconds);
    }

    /** An order as the validator makes it: a fresh id and time for the same content each time. */
    private static Order order(String description, String client) {
        return new Order(UUID.randomUUID(), 1, 2, description, 3, Instant.now().toString(), client);
    }

    private static String key() {
        return "key-" + UUID.randomUUID();
    }

    @Test
    void theFirstRequestPublishesItsOrderAndOnceAcknowledgedARetryIsAnsweredWithItWithoutPublishing()
            throws Exception {
        IdempotencyKeys keys = keys(60, 30);
        String key = key();
        Order first = order("first", null);
        IdempotentOrder claimed = keys.claim(first, key);
        assertThat(claimed.isAnswered()).isFalse();
        assertThat(claimed.getOrder()).isEqualTo(first);
        assertThat(claimed.idempotencyClaim().key()).isEqualTo(key);
        keys.completed(claimed);

        IdempotentOrder retry = keys.claim(order("first", null), key);
        assertThat(retry.isAnswered()).as("answered again, nothing published").isTrue();
        assertThat(retry.idempotencyClaim()).isNull();
        assertThat(retry.getOrder()).as("the first request's order, its id and time").isEqualTo(first);
    }

    @Test
    void aRetryWhileTheFirstAttemptIsInFlightIs409WithRetryAfterUntilInFlightSecondsThenRepublishesTheSameOrder()
            throws Exception {
        IdempotencyKeys keys = keys(60, 2);
        String key = key();
        Order first = order("in flight", null);
        keys.claim(first, key); // never completed: its answer was lost

        OrderInFlightException inFlight = catchThrowableOfType(() -> keys.claim(order("in flight", null), key),
                OrderInFlightException.class);
        assertThat(inFlight.getStatus()).isEqualTo(409);
        assertThat(inFlight.getField()).isEqualTo("Idempotency-Key");
        assertThat(inFlight.getRetryAfter()).isBetween(1L, 2L);

        Thread.sleep(2_100);
        IdempotentOrder republished = keys.claim(order("in flight", null), key);
        assertThat(republished.isAnswered()).as("published again").isFalse();
        assertThat(republished.idempotencyClaim()).isNotNull();
        assertThat(republished.getOrder()).as("the same order: the sink stores its id once").isEqualTo(first);

        // the new attempt holds the key now: a third one waits for it
        assertThatThrownBy(() -> keys.claim(order("in flight", null), key)).isInstanceOf(OrderInFlightException.class);
    }

    @Test
    void anotherOrderUnderAKeyInUseIs422AndAnotherClientsKeyOfTheSameNameIsItsOwn() throws Exception {
        IdempotencyKeys keys = keys(60, 30);
        String key = key();
        keys.completed(keys.claim(order("one", "shop-1"), key));

        InvalidOrderException other = catchThrowableOfType(() -> keys.claim(order("two", "shop-1"), key),
                InvalidOrderException.class);
        assertThat(other).isNotInstanceOf(OrderInFlightException.class);
        assertThat(other.getStatus()).isEqualTo(422);
        assertThat(other.getField()).isEqualTo("Idempotency-Key");

        IdempotentOrder theirs = keys.claim(order("two", "shop-2"), key);
        assertThat(theirs.isAnswered()).as("shop-2's key is not shop-1's").isFalse();
        IdempotentOrder anonymous = keys.claim(order("three", null), key);
        assertThat(anonymous.isAnswered()).as("nor the shared scope without authentication").isFalse();
    }

    @Test
    void afterItsTimeToLiveAKeyTakesANewOrder() throws Exception {
        IdempotencyKeys keys = keys(1, 30);
        String key = key();
        Order first = order("before expiry", null);
        keys.completed(keys.claim(first, key));
        assertThatThrownBy(() -> keys.claim(order("after expiry", null), key))
                .isInstanceOf(InvalidOrderException.class).hasMessageContaining("another request");

        Thread.sleep(1_100);
        Order second = order("after expiry", null);
        IdempotentOrder claimed = keys.claim(second, key);
        assertThat(claimed.isAnswered()).isFalse();
        assertThat(claimed.getOrder()).as("the new order, not the expired one").isEqualTo(second);
        keys.completed(claimed);
        assertThat(keys.claim(order("after expiry", null), key).getOrder()).isEqualTo(second);
    }

    @Test
    void aBatchRetryGetsTheFirstBatchsOrdersAtTheirIndexesAndIsRepublishedAfterInFlightSeconds() throws Exception {
        IdempotencyKeys keys = keys(60, 1);
        String key = key();
        OrderBatchRequest first = batch("a", "b");
        keys.claim(first, key);
        List<Order> firstOrders = List.copyOf(first.getOrders());
        assertThat(first.isAnswered()).isFalse();
        assertThat(first.idempotencyClaim()).isNotNull();

        assertThatThrownBy(() -> keys.claim(batch("a", "b"), key))
                .isInstanceOf(OrderInFlightException.class);
        Thread.sleep(1_100);
        OrderBatchRequest republished = keys.claim(batch("a", "b"), key);
        assertThat(republished.isAnswered()).as("its outcome unknown: published again").isFalse();
        assertThat(republished.getOrders()).isEqualTo(firstOrders);
        keys.completed(republished);

        OrderBatchRequest answered = keys.claim(batch("a", "b"), key);
        assertThat(answered.isAnswered()).isTrue();
        assertThat(answered.getOrders()).isEqualTo(firstOrders);
        assertThatThrownBy(() -> keys.claim(batch("b", "a"), key))
                .as("the same items in another order are another request").isInstanceOf(InvalidOrderException.class)
                .isNotInstanceOf(OrderInFlightException.class);
    }

    @Test
    void aBatchWithoutAnAcceptedOrderClaimsNothing() throws Exception {
        IdempotencyKeys keys = keys(60, 30);
        String key = key();
        OrderBatchRequest refused = VALIDATOR.fromBatchRequest(
                "[{\"src_currency\": 1, \"dst_currency\": 2}]".getBytes(java.nio.charset.StandardCharsets.UTF_8), null);
        assertThat(refused.getAcceptedCount()).isZero();
        assertThat(keys.claim(refused, key)).isSameAs(refused);
        assertThat(refused.idempotencyClaim()).isNull();
        // the key is still free for a batch that has orders
        OrderBatchRequest later = batch("later");
        keys.claim(later, key);
        assertThat(later.idempotencyClaim()).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"!", "~", "a-b_c.d:e/f", "255"})
    void keysOfOneTo255VisibleAsciiCharactersAreTaken(String key) throws Exception {
        String used = key.equals("255") ? "k".repeat(255) : key + UUID.randomUUID();
        assertThat(keys(60, 30).claim(order("valid key", null), used).isAnswered()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "256", "with space", "tab\t", "del\u007f", "caf\u00e9", "line\nbreak"})
    void otherKeysAre400ForTheIdempotencyKeyHeader(String key) {
        String used = key.equals("256") ? "k".repeat(256) : key;
        InvalidOrderException refused = catchThrowableOfType(() -> keys(60, 30).claim(order("bad key", null), used),
                InvalidOrderException.class);
        assertThat(refused.getStatus()).isEqualTo(400);
        assertThat(refused.getField()).isEqualTo("Idempotency-Key");
    }

    /** A batch request as the validator makes it, of orders with these descriptions. */
    private static OrderBatchRequest batch(String... descriptions) {
        String json = java.util.Arrays.stream(descriptions).map(io.orderpipeline.support.Orders::json)
                .collect(java.util.stream.Collectors.joining(",", "[", "]"));
        return VALIDATOR.fromBatchRequest(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), null);
    }
}
