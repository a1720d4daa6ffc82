package io.orderpipeline.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * The JSON schemas of the Kubernetes API (and the Prometheus operator's monitoring API) that fabric8's model jars
 * carry as {@code schema/validation-schema.json}, merged, and made strict the way a kubectl dry run is: a field the
 * API does not have is an error (the jars' schemas allow any), and quantities and int-or-string ports take the forms
 * YAML writes them in. Offline: nothing is fetched.
 */
final class KubernetesSchemas {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The Java types of the definitions that YAML writes as a string or a number ("512Mi", 8080, "http"). */
    private static final Set<String> SCALARS_IN_YAML = Set.of("Quantity", "io.fabric8.kubernetes.api.model.Quantity",
            "io.fabric8.kubernetes.api.model.IntOrString");

    private final ObjectNode definitions = JSON.createObjectNode();
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);

    KubernetesSchemas() {
        try {
            for (URL url : Collections.list(getClass().getClassLoader().getResources("schema/validation-schema.json"))) {
                try (InputStream in = url.openStream()) {
                    JsonNode schema = JSON.readTree(in);
                    schema.get("definitions").properties().forEach(e -> definitions.set(e.getKey(), e.getValue()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (definitions.isEmpty()) {
            throw new IllegalStateException("no schema/validation-schema.json on the test classpath (fabric8 model jars)");
        }
        for (Map.Entry<String, JsonNode> definition : definitions.properties()) {
            ObjectNode d = (ObjectNode) definition.getValue();
            if (SCALARS_IN_YAML.contains(d.path("existingJavaType").asText())) {
                d.removeAll();
                d.set("type", JSON.createArrayNode().add("string").add("integer"));
            } else if (d.has("properties")) {
                d.put("additionalProperties", false);
            }
        }
    }

    /** The definition that describes objects of this apiVersion and kind, if these schemas have one. */
    Optional<String> definitionOf(String apiVersion, String kind) {
        return definitions.properties().stream()
                .filter(e -> apiVersion.equals(e.getValue().at("/properties/apiVersion/default").asText())
                        && kind.equals(e.getValue().at("/properties/kind/default").asText()))
                .map(Map.Entry::getKey).findFirst();
    }

    /** What is wrong with the object against its kind's schema: empty when valid; thrown at when its kind is unknown. */
    List<String> problems(JsonNode object) {
        String apiVersion = object.path("apiVersion").asText();
        String kind = object.path("kind").asText();
        String definition = definitionOf(apiVersion, kind)
                .orElseThrow(() -> new IllegalArgumentException("no schema for " + apiVersion + " " + kind));
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", "http://json-schema.org/draft-07/schema#");
        root.set("definitions", definitions);
        root.put("$ref", "#/definitions/" + definition);
        JsonSchema schema = factory.getSchema(root);
        return new ArrayList<>(schema.validate(object).stream().map(ValidationMessage::getMessage)
                .collect(Collectors.toCollection(java.util.TreeSet::new)));
    }
}
