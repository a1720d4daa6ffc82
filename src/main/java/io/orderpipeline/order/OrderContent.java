package io.orderpipeline.order;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** What makes two requests the same order: its content, not its id or time (the server makes those), as a hash. */
public final class OrderContent {

    private OrderContent() {
    }

    /** SHA-256 of the order's currencies, channel and description. */
    public static byte[] hash(Order order) {
        return sha256(order.srcCurrency() + "\n" + order.dstCurrency() + "\n" + order.channel() + "\n"
                + order.description());
    }

    static byte[] sha256(String text) {
        return sha256().digest(text.getBytes(StandardCharsets.UTF_8));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
