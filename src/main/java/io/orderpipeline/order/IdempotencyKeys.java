package io.orderpipeline.order;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idempotency-Key for POST /orders, kept in PostgreSQL (table idempotency_keys) so that every API instance sharing
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

    private static final String CLAIM = """
            INSERT INTO idempotency_keys AS k (client_id, idempotency_key, request_hash, order_json, claim,
                                               claimed_at, expires_at)
            VALUES (?, ?, ?, ?, ?, now(), now() + ? * interval '1 second')
            ON CONFLICT (client_id, idempotency_key) DO UPDATE SET
              request_hash = CASE WHEN k.expires_at <= now() THEN EXCLUDED.request_hash ELSE k.request_hash END,
              order_json = CASE WHEN k.expires_at <= now() THEN EXCLUDED.order_json ELSE k.order_json END,
              completed = k.completed AND k.expires_at > now(),
              claim = CASE WHEN k.expires_at <= now() OR (NOT k.completed AND k.request_hash = EXCLUDED.request_hash
                        AND k.claimed_at <= now() - ? * interval '1 second') THEN EXCLUDED.claim ELSE k.claim END,
              claimed_at = CASE WHEN k.expires_at <= now() OR (NOT k.completed
                        AND k.request_hash = EXCLUDED.request_hash AND k.claimed_at <= now() - ? * interval '1 second')
                        THEN now() ELSE k.claimed_at END,
              expires_at = CASE WHEN k.expires_at <= now() THEN EXCLUDED.expires_at ELSE k.expires_at END
            RETURNING request_hash, order_json, claim, completed,
                      ceil(extract(epoch FROM k.claimed_at + ? * interval '1 second' - now()))
            """;
    private static final String COMPLETED = """
            UPDATE idempotency_keys SET completed = true
            WHERE client_id = ? AND idempotency_key = ? AND claim = ?
            """;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(IdempotencyKeys.class);

    private final DataSource dataSource;
    private final int ttlSeconds;
    private final int inFlightSeconds;

    public IdempotencyKeys(DataSource dataSource, int ttlSeconds, int inFlightSeconds) {
        this.dataSource = dataSource;
        this.ttlSeconds = ttlSeconds;
        this.inFlightSeconds = inFlightSeconds;
    }

    /**
     * Decides what this request under {@code key} does: publish an order, or answer the one the broker has.
     *
     * @throws InvalidOrderException 400 for a key that is not 1-255 visible ASCII characters, 422 for another order
     *         under a key in use, {@link OrderInFlightException} (409) while the first attempt is in flight
     */
    public IdempotentOrder claim(Order order, String key) throws SQLException {
        validate(key);
        String clientId = order.clientId() == null ? "" : order.clientId();
        byte[] hash = contentHash(order);
        UUID claim = UUID.randomUUID();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(CLAIM)) {
            statement.setString(1, clientId);
            statement.setString(2, key);
            statement.setBytes(3, hash);
            statement.setString(4, toJson(order));
            statement.setObject(5, claim);
            statement.setInt(6, ttlSeconds);
            statement.setInt(7, inFlightSeconds);
            statement.setInt(8, inFlightSeconds);
            statement.setInt(9, inFlightSeconds);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                Order stored = fromJson(row.getString(2));
                if (claim.equals(row.getObject(3, UUID.class))) {
                    return new IdempotentOrder(stored, false, clientId, key, claim);
                }
                if (!Arrays.equals(hash, row.getBytes(1))) {
                    throw new InvalidOrderException(422, "this Idempotency-Key was used for another order",
                            "Idempotency-Key");
                }
                if (row.getBoolean(4)) {
                    return new IdempotentOrder(stored, true, clientId, key, null);
                }
                throw new OrderInFlightException(Math.max(1, row.getLong(5)));
            }
        }
    }

    /**
     * The broker acknowledged the claimed order: later requests under its key are answered with it. The broker has
     * the order whatever happens here, so a failure is only logged: the key then stays in flight, and a retry after
     * {@code in-flight-seconds} publishes the same order again (stored once).
     */
    public void completed(IdempotentOrder order) {
        if (order == null || order.claim() == null) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(COMPLETED)) {
            statement.setString(1, order.clientId());
            statement.setString(2, order.key());
            statement.setObject(3, order.claim());
            statement.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("Order {} is acknowledged, but its Idempotency-Key could not be marked done: {}",
                    order.getOrder().id(), e.getMessage());
        }
    }

    private static void validate(String key) {
        boolean visibleAscii = key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e);
        if (key.isEmpty() || key.length() > 255 || !visibleAscii) {
            throw new InvalidOrderException(400, "Idempotency-Key must be 1 to 255 visible ASCII characters",
                    "Idempotency-Key");
        }
    }

    /** What makes two requests the same order: its content, not its id or time (the server makes those). */
    private static byte[] contentHash(Order order) {
        String content = order.srcCurrency() + "\n" + order.dstCurrency() + "\n" + order.channel() + "\n"
                + order.description();
        try {
            return MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String toJson(Order order) {
        try {
            return JSON.writeValueAsString(order);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Order fromJson(String json) {
        try {
            return JSON.readValue(json, Order.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable order in idempotency_keys", e);
        }
    }
}
