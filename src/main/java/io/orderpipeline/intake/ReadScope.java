package io.orderpipeline.intake;

import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.orderpipeline.platform.security.ClientAuthentication;
import io.vertx.ext.auth.User;
import org.apache.camel.Body;
import org.apache.camel.Header;

/**
 * Whose orders a {@code GET /orders/{id}} may see: with authentication on, only the orders (and dead letters) of the
 * client the request authenticated as, unless that client is one of the operators, who see every client's; without
 * authentication, every order (there is one anonymous client). Another client's order is answered like an unknown
 * one (404), so ids cannot be probed.
 */
public final class ReadScope {

    /** A lookup of one order, as orders-lookup's SQL reads it ({@code orders.sql.find-order}). */
    public record OrderLookup(UUID id, String clientId, boolean anyClient) {
    }

    private final Set<String> operators;

    /** @param operatorClients comma-separated client ids that may read every client's orders */
    public ReadScope(String operatorClients) {
        this.operators = operatorClients == null ? Set.of() : Stream.of(operatorClients.split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    public OrderLookup lookup(@Body UUID id, @Header(ClientAuthentication.USER) User user) {
        String client = ClientAuthentication.clientId(user);
        return new OrderLookup(id, client, client == null || operators.contains(client));
    }
}
