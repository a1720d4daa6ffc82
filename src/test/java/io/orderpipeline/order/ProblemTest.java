package io.orderpipeline.order;

import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderpipeline.support.ProblemTypes;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The problem kinds the code answers with are the ones docs/problems.md describes, each with its status. */
class ProblemTest {

    @Test
    void everyKindIsDocumentedWithItsStatusAndNothingElseIs() {
        Map<Integer, String> coded = new TreeMap<>();
        for (Problem.Kind kind : Problem.Kind.values()) {
            coded.put(kind.status(), kind.type());
        }
        assertThat(coded).isEqualTo(ProblemTypes.byStatus());
    }

    @Test
    void anInFlightRefusalCarriesWhenToRetryAndAStatusWithoutAKindIsAnInternalError() {
        ObjectNode inFlight = Problem.of(new OrderInFlightException(3)).toJson();
        assertThat(inFlight.get("type").asText()).isEqualTo("urn:order-pipeline:problem:in-flight");
        assertThat(inFlight.get("retry_after").asLong()).isEqualTo(3);
        assertThat(inFlight.get("field").asText()).isEqualTo("Idempotency-Key");
        assertThat(Problem.of(418, "teapot").kind()).isEqualTo(Problem.Kind.INTERNAL_ERROR);
        assertThat(Problem.of(400, "bad").at(4).toJson().get("index").asInt()).isEqualTo(4);
    }
}
