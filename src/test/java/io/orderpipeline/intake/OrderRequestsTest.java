package io.orderpipeline.intake;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import io.orderpipeline.order.Order;
import io.orderpipeline.order.OrderValidator;
import io.orderpipeline.support.Orders;
import io.vertx.ext.auth.User;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP routes' side of the validator: the client an order comes from is the one its request authenticated as. */
class OrderRequestsTest {

    private final OrderRequests requests = new OrderRequests(new OrderValidator(1024, 65536, 10));

    @Test
    void anOrderAndEachOrderOfABatchCarryTheAuthenticatedClientOrNone() {
        byte[] order = Orders.json("from a client").getBytes(StandardCharsets.UTF_8);
        assertThat(requests.fromRequest(order, User.fromName("shop-1")).clientId()).isEqualTo("shop-1");
        assertThat(requests.fromRequest(order, null).clientId()).as("anonymous").isNull();

        byte[] batch = Orders.batch(2, "batched").getBytes(StandardCharsets.UTF_8);
        assertThat(requests.fromBatchRequest(batch, User.fromName("shop-2")).getOrders())
                .allSatisfy(o -> assertThat(o.clientId()).isEqualTo("shop-2")).hasSize(2);
        assertThat(requests.fromBatchRequest(batch, null).getClientId()).isNull();
    }

    @Test
    void aRecordIsKeyedByItsOrdersIdAndNamesItsClient() {
        Order order = new Order(UUID.randomUUID(), 1, 2, "d", 1, "2026-11-27T10:00:00Z", "shop-1");
        assertThat(requests.recordKey(order)).isEqualTo(order.id().toString());
        assertThat(requests.recordClientId(order)).isEqualTo("shop-1");
        assertThat(requests.recordClientId(new Order(order.id(), 1, 2, "d", 1, order.createdAt(), null))).isNull();
    }
}
