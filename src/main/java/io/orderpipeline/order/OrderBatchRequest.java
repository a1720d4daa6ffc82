package io.orderpipeline.order;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A {@code POST /orders/batch} request as the validator read it: per item, in the request's order, the new order or
 * why it was refused. The body route orders-batch works on; its {@link #getAnswer()} is what the client gets once the
 * broker has every accepted order.
 */
public final class OrderBatchRequest implements Idempotent {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String clientId;
    private final List<Order> accepted;
    /** Per item: its Order or its InvalidOrderException. */
    private final List<Object> items;
    private boolean answered;
    private IdempotencyClaim claim;

    OrderBatchRequest(int size, String clientId) {
        this.clientId = clientId;
        accepted = new ArrayList<>(size);
        items = new ArrayList<>(size);
    }

    void accept(Order order) {
        accepted.add(order);
        items.add(order);
    }

    void refuse(InvalidOrderException why) {
        items.add(why);
    }

    /** The client the request authenticated as, who sent every order of it (null: anonymous). */
    public String getClientId() {
        return clientId;
    }

    /** The valid orders, to be published. */
    public List<Order> getOrders() {
        return accepted;
    }

    public int getAcceptedCount() {
        return accepted.size();
    }

    /**
     * What makes two batches the same request: each item's content (an order's, not its id or time) or its refusal,
     * in order.
     */
    public byte[] contentHash() {
        MessageDigest digest = OrderContent.sha256();
        for (Object item : items) {
            digest.update(item instanceof Order order ? OrderContent.hash(order)
                    : OrderContent.sha256(((InvalidOrderException) item).getStatus() + " "
                            + ((InvalidOrderException) item).getMessage()));
        }
        return digest.digest();
    }

    /**
     * Under an Idempotency-Key: the orders to publish or answer are the first request's (the same content, so the
     * same items were accepted, in the same places); with a claim on the key they are published, without one only
     * answered again.
     */
    public void claimed(List<Order> orders, IdempotencyClaim claim) {
        int next = 0;
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) instanceof Order) {
                items.set(i, orders.get(next));
                accepted.set(next, orders.get(next));
                next++;
            }
        }
        this.answered = claim == null;
        this.claim = claim;
    }

    /** The broker acknowledged this Idempotency-Key's orders before: answer them again, publish nothing. */
    public boolean isAnswered() {
        return answered;
    }

    @Override
    public IdempotencyClaim idempotencyClaim() {
        return claim;
    }

    /** 200 when every item was accepted, 207 (each item has its own status) when some were refused. */
    public int getStatus() {
        return accepted.size() == items.size() ? 200 : 207;
    }

    /**
     * {@code {"accepted": 2, "refused": 1, "results": [{"index": 0, "status": 200, "id": "...", "created_at": "..."},
     * {"index": 1, "type": "urn:order-pipeline:problem:bad-request", "title": "...", "status": 400, "detail": "...",
     * "field": "channel"}, ...]}}: a refused item is a {@link Problem} with its index.
     */
    public byte[] getAnswer() {
        ObjectNode answer = JSON.createObjectNode();
        answer.put("accepted", accepted.size());
        answer.put("refused", items.size() - accepted.size());
        ArrayNode results = answer.putArray("results");
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) instanceof Order order) {
                results.addObject().put("index", i).put("status", 200).put("id", order.id().toString())
                        .put("created_at", order.createdAt());
            } else {
                // the same problem details as an error answer, with the item's index
                results.add(Problem.of((InvalidOrderException) items.get(i)).at(i).toJson());
            }
        }
        try {
            return JSON.writeValueAsBytes(answer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
