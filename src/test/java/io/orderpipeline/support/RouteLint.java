package io.orderpipeline.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.serialization.JsonNodeReader;
import com.networknt.schema.utils.JsonNodes;

/**
 * Checks *.camel.yaml files against the JSON schema of the YAML DSL that ships inside camel-yaml-dsl, and reports
 * each problem as {@code file:line: message}.
 */
public final class RouteLint {

    private static final String SCHEMA = "schema/camelYamlDsl.json";
    private static final java.util.regex.Pattern PLACEHOLDER = java.util.regex.Pattern.compile("\\{\\{[^{}]+}}");

    private final JsonNodeReader reader = JsonNodeReader.builder().locationAware().build();
    private final JsonSchema schema;

    public RouteLint() throws IOException {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4,
                builder -> builder.jsonNodeReader(reader));
        try (InputStream in = RouteLint.class.getClassLoader().getResourceAsStream(SCHEMA)) {
            if (in == null) {
                throw new IOException(SCHEMA + " is not on the classpath (camel-yaml-dsl)");
            }
            schema = factory.getSchema(in);
        }
    }

    /** The problems in one route file, in line order; empty when the file is valid. */
    public List<String> check(Path file) throws IOException {
        JsonNode routes;
        try (InputStream in = Files.newInputStream(file)) {
            routes = reader.readTree(in, InputFormat.YAML);
        } catch (IOException e) {
            return List.of(file + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        return schema.validate(routes).stream()
                .filter(message -> !isPlaceholderForTypedValue(message))
                .sorted(Comparator.comparingInt(RouteLint::line))
                .map(message -> file + ":" + line(message) + ": " + message.getMessage())
                .toList();
    }

    /**
     * The schema types options such as maximumRedeliveries as numbers or booleans; a property placeholder there
     * ({@code "{{orders.retry.max-redeliveries}}"}) is a string in YAML and a number once Camel resolves it.
     */
    private static boolean isPlaceholderForTypedValue(ValidationMessage message) {
        JsonNode node = message.getInstanceNode();
        return "type".equals(message.getType()) && node != null && node.isTextual()
                && PLACEHOLDER.matcher(node.textValue()).matches();
    }

    private static int line(ValidationMessage message) {
        JsonLocation location = JsonNodes.tokenLocationOf(message.getInstanceNode());
        return location == null ? 0 : location.getLineNr();
    }
}
