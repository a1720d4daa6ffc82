package io.orderpipeline.intake;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderpipeline.order.IdempotencyClaim;
import io.orderpipeline.order.Idempotent;
import io.orderpipeline.order.IdempotentOrder;
import io.orderpipeline.order.InvalidOrderException;
import io.orderpipeline.order.Order;
import io.orderpipeline.order.OrderBatchRequest;
import io.orderpipeline.order.OrderContent;
import io.orderpipeline.order.OrderInFlightException;
import org.apache.camel.Body;
import org.apache.camel.Variable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idempotency-Key for POST /orders and POST /orders/batch, kept in PostgreSQL (table idempotency_keys) so that every API instance sharing
 * the database sees the same keys. Per client (the authenticated client id; one shared scope without
 * authentication) and key, the first request stores its order; within {@code orders.idempotency.ttl-seconds}:
 * <ul>
 * <li>the same order content again: the stored order is answered (same id and created_at) and nothing is published
 * once the broker acknowledged it; while the first attempt is in flight, 409 with Retry-After; once it has been in
 * flight longer than {@code orders.idempotency.in-flight-seconds} (its answer was lost or it failed), this attempt
 * publishes the stored order again, and the sink stores its id once;</li>
 * <li>other content: 422.</li>
 * </ul>
 * Blocks on JDBC: orders-api calls it after a {@code threads} step, never on the event loop.
 */
public class IdempotencyKeys {

    /** The routes' variable holding the request's Idempotency-Key (orders-api, orders-batch). */
    public static final String KEY_VARIABLE = "idempotencyKey";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(IdempotencyKeys.class);

    private final DataSource dataSource;
    private final String claimSql;
    private final String completeSql;
    private final int ttlSeconds;
    private final int inFlightSeconds;

    /**
     * @param claimSql    orders.sql.claim-idempotency-key in application.properties
     * @param completeSql orders.sql.complete-idempotency-key
     */
    public IdempotencyKeys(DataSource dataSource, String claimSql, String completeSql, int ttlSeconds,
            int inFlightSeconds) {
        this.dataSource = dataSource;
        this.claimSql = claimSql;
        this.completeSql = completeSql;
        this.ttlSeconds = ttlSeconds;
        this.inFlightSeconds = inFlightSeconds;
    }

    /**
     * Decides what this request under {@code key} does: publish an order, or answer the one the broker has.
     *
     * @throws InvalidOrderException 400 for a key that is not 1-255 visible ASCII characters, 422 for another order
     *         under a key in use, {@link OrderInFlightException} (409) while the first attempt is in flight
     */
    public IdempotentOrder claim(@Body Order order, @Variable(KEY_VARIABLE) String key) throws SQLException {
        Claim claim = claim(scope(order.clientId()), key, OrderContent.hash(order), write(order));
        return new IdempotentOrder(read(claim.json(), Order.class), claim.claim());
    }

    /**
     * The same for a {@code POST /orders/batch}: its key stands for the whole request. A retry with the same items
     * gets the first request's orders (same ids and times, each at its item's index): republished while that
     * attempt's outcome is unknown, or only answered once the broker has them; other items: 422. A batch without an
     * accepted order publishes nothing and claims nothing.
     */
    public OrderBatchRequest claim(@Body OrderBatchRequest batch, @Variable(KEY_VARIABLE) String key)
            throws SQLException {
        if (batch.getAcceptedCount() == 0) {
            return batch;
        }
        Claim claim = claim(scope(batch.getClientId()), key, batch.contentHash(), write(batch.getOrders()));
        batch.claimed(List.of(read(claim.json(), Order[].class)), claim.claim());
        return batch;
    }

    /** One INSERT ... ON CONFLICT ... RETURNING decides, for orders and batches alike. */
    private Claim claim(String clientId, String key, byte[] hash, String json) throws SQLException {
        validate(key);
        UUID claim = UUID.randomUUID();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(claimSql)) {
            statement.setString(1, clientId);
            statement.setString(2, key);
            statement.setBytes(3, hash);
            statement.setString(4, json);
            statement.setObject(5, claim);
            statement.setInt(6, ttlSeconds);
            statement.setInt(7, inFlightSeconds);
            statement.setInt(8, inFlightSeconds);
            statement.setInt(9, inFlightSeconds);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                String stored = row.getString(2);
                if (claim.equals(row.getObject(3, UUID.class))) {
                    return new Claim(stored, new IdempotencyClaim(clientId, key, claim));
                }
                if (!Arrays.equals(hash, row.getBytes(1))) {
                    throw new InvalidOrderException(422, "this Idempotency-Key was used for another request",
                            "Idempotency-Key");
                }
                if (row.getBoolean(4)) {
                    return new Claim(stored, null);
                }
                throw new OrderInFlightException(Math.max(1, row.getLong(5)));
            }
        }
    }

    /**
     * What the claim decided: the JSON to publish, with the claim to complete once the broker has it, or, without a
     * claim, the JSON the broker already has, to answer again.
     */
    private record Claim(String json, IdempotencyClaim claim) {
    }

    /** The key's scope: the authenticated client, or one shared scope without authentication. */
    private static String scope(String clientId) {
        return clientId == null ? "" : clientId;
    }

    /**
     * The broker acknowledged the claimed order(s): later requests under the key are answered with them. The broker
     * has them whatever happens here, so a failure is only logged: the key then stays in flight, and a retry after
     * {@code in-flight-seconds} publishes the same orders again (stored once).
     */
    public void completed(Idempotent request) {
        IdempotencyClaim claim = request == null ? null : request.idempotencyClaim();
        if (claim == null) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(completeSql)) {
            statement.setString(1, claim.clientId());
            statement.setString(2, claim.key());
            statement.setObject(3, claim.id());
            statement.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("Idempotency-Key {} of client '{}': the broker has its orders, but the key could not be marked"
                    + " done: {}", claim.key(), claim.clientId(), e.getMessage());
        }
    }

    private static void validate(String key) {
        boolean visibleAscii = key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e);
        if (key.isEmpty() || key.length() > 255 || !visibleAscii) {
            throw new InvalidOrderException(400, "Idempotency-Key must be 1 to 255 visible ASCII characters",
                    "Idempotency-Key");
        }
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable orders in idempotency_keys", e);
        }
    }
}
