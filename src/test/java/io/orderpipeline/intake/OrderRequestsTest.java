package io.orderpipeline.intake;

import java.nio.charset.StandardCharsets;

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
}
