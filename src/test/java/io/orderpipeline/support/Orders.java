package io.orderpipeline.support;

import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The request bodies the tests post, and the ids read from the answers. */
public final class Orders {

    private Orders() {
    }

    /** A valid order request: currency 1 to 2 on channel 1, with this description (written as a JSON string). */
    public static String json(String description) {
        return "{\"src_currency\": 1, \"dst_currency\": 2, \"description\": \"" + quoted(description)
                + "\", \"channel\": 1}";
    }

    /** A batch request of {@code size} valid orders, each with this description. */
    public static String batch(int size, String description) {
        return IntStream.range(0, size).mapToObj(i -> json(description)).collect(Collectors.joining(",", "[", "]"));
    }

    /** The id of the order a 200 answered with; fails on any other answer. */
    public static UUID id(OrdersClient.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode id = answer.json().get("id");
        assertThat(id).as("the order's id in " + answer.body()).isNotNull();
        return UUID.fromString(id.asText());
    }

    private static String quoted(String text) {
        return new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(text));
    }
}
