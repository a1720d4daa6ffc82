package io.orderpipeline.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The problem types as docs/problems.md documents them (its table: type URI and status), the oracle an error answer
 * is checked against: what a client reads there is what it gets.
 */
public final class ProblemTypes {

    private static final Pattern ROW = Pattern.compile("^\\| `(urn:order-pipeline:problem:[a-z-]+)` \\| (\\d{3}) \\|",
            Pattern.MULTILINE);
    private static Map<Integer, String> byStatus;

    private ProblemTypes() {
    }

    /** The documented type URI of each status. */
    public static synchronized Map<Integer, String> byStatus() {
        if (byStatus == null) {
            try {
                Matcher row = ROW.matcher(Files.readString(Path.of("docs/problems.md")));
                Map<Integer, String> types = new TreeMap<>();
                while (row.find()) {
                    types.put(Integer.parseInt(row.group(2)), row.group(1));
                }
                byStatus = types;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return byStatus;
    }

    /** Asserts that the body is a problem of this status, as documented; returns it. */
    public static JsonNode check(int status, JsonNode problem) {
        assertThat(problem.path("status").asInt()).as("problem status").isEqualTo(status);
        assertThat(problem.path("type").asText()).as("problem type of %d (docs/problems.md)", status)
                .isEqualTo(byStatus().get(status));
        assertThat(problem.path("title").asText()).as("problem title").isNotBlank();
        assertThat(problem.path("detail").asText()).as("problem detail").isNotBlank();
        return problem;
    }
}
