package io.orderpipeline.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import io.orderpipeline.support.ShippedProperties;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deployments/kubernetes as {@code kubectl kustomize} renders its example overlay: every object valid against its
 * schema (KubernetesSchemas), and the rules the manifests exist for, read from the rendered objects rather than from
 * the files, so that a patch or an overlay that breaks one fails here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubernetesManifestsTest {

    private static final Path OVERLAY = Path.of("deployments/kubernetes/overlays/example");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Secrets made by the operators from objects of the base: Strimzi (per KafkaUser, the cluster CA), CloudNativePG. */
    private static final Pattern MADE_BY_AN_OPERATOR = Pattern.compile("orders-kafka-cluster-ca-cert|orders-db-(app|ca)");
    /** Secrets the base documents as the operator's to create. */
    private static final Set<String> CREATED_BY_THE_OPERATOR =
            Set.of("order-pipeline-api-keys", "order-pipeline-management-users");
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(PASSWORD|JAAS|SECRET|TOKEN|CREDENTIAL).*");

    private List<JsonNode> objects;
    private Map<String, String> config;

    @BeforeAll
    void render() throws Exception {
        Process kubectl = new ProcessBuilder("kubectl", "kustomize", OVERLAY.toString()).redirectErrorStream(false)
                .start();
        byte[] out = kubectl.getInputStream().readAllBytes();
        String err = new String(kubectl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(kubectl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(kubectl.exitValue()).as("kubectl kustomize: " + err).isZero();
        objects = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(out)) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(objects::add);
        }
        JsonNode configMap = only("ConfigMap", null);
        config = YAML.convertValue(configMap.get("data"), new TypeReference<Map<String, String>>() { });
    }

    private List<JsonNode> all(String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    private JsonNode only(String kind, String name) {
        List<JsonNode> found = all(kind).stream()
                .filter(o -> name == null || name.equals(o.at("/metadata/name").asText())).toList();
        assertThat(found).as(kind + " " + name).hasSize(1);
        return found.get(0);
    }

    private static List<JsonNode> list(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }

    private JsonNode container(String deployment) {
        return only("Deployment", deployment).at("/spec/template/spec/containers/0");
    }

    @Test
    void theOverlayRendersEveryObjectTheFleetNeeds() {
        Map<String, Long> kinds = objects.stream()
                .collect(Collectors.groupingBy(o -> o.path("kind").asText(), Collectors.counting()));
        assertThat(kinds).containsEntry("Deployment", 2L).containsEntry("HorizontalPodAutoscaler", 1L)
                .containsEntry("ScaledObject", 1L).containsEntry("PodDisruptionBudget", 2L)
                .containsEntry("KafkaTopic", 2L).containsEntry("KafkaUser", 2L).containsEntry("Cluster", 1L)
                .containsEntry("PodMonitor", 1L).containsEntry("ConfigMap", 1L).containsKey("NetworkPolicy")
                .containsKey("Service");
        assertThat(objects).allSatisfy(o -> assertThat(o.at("/metadata/namespace").asText()).isEqualTo("orders"));
        assertThat(list(only("Deployment", "order-pipeline-produce").at("/spec/template/spec/containers/0/args")))
                .extracting(JsonNode::asText).containsExactly("produce");
        assertThat(list(only("Deployment", "order-pipeline-consume").at("/spec/template/spec/containers/0/args")))
                .extracting(JsonNode::asText).containsExactly("consume");
    }

    /** Custom resources whose schemas no Maven artifact carries (Strimzi, KEDA, CloudNativePG): the rules below read them. */
    private static final Set<String> CUSTOM_KINDS =
            Set.of("KafkaTopic", "KafkaUser", "ScaledObject", "TriggerAuthentication", "Cluster");

    @Test
    void everyKubernetesAndMonitoringObjectIsValidAgainstItsSchema() {
        KubernetesSchemas schemas = new KubernetesSchemas();
        Set<String> unchecked = new java.util.TreeSet<>();
        for (JsonNode object : objects) {
            String kind = object.path("kind").asText();
            String what = kind + " " + object.at("/metadata/name").asText();
            if (schemas.definitionOf(object.path("apiVersion").asText(), kind).isEmpty()) {
                unchecked.add(kind);
                continue;
            }
            assertThat(schemas.problems(object)).as(what).isEmpty();
        }
        assertThat(unchecked).as("kinds without a schema here").isSubsetOf(CUSTOM_KINDS);
    }

    @Test
    void theSchemasRefuseAMisspeltFieldAWrongTypeAndAnUnknownVersion() {
        KubernetesSchemas schemas = new KubernetesSchemas();
        ObjectNode misspelt = only("Deployment", "order-pipeline-produce").deepCopy();
        ObjectNode container = (ObjectNode) misspelt.at("/spec/template/spec/containers/0");
        container.set("readynessProbe", container.remove("readinessProbe"));
        ObjectNode wrongType = only("Deployment", "order-pipeline-consume").deepCopy();
        ((ObjectNode) wrongType.at("/spec/template/spec")).put("terminationGracePeriodSeconds", "forty-five");
        ObjectNode oldVersion = only("HorizontalPodAutoscaler", null).deepCopy();
        oldVersion.put("apiVersion", "autoscaling/v1");

        assertThat(schemas.problems(misspelt)).anyMatch(m -> m.contains("readynessProbe"));
        assertThat(schemas.problems(wrongType)).anyMatch(m -> m.contains("terminationGracePeriodSeconds"));
        assertThat(schemas.problems(oldVersion)).as("autoscaling/v1 has no metrics").anyMatch(m -> m.contains("metrics"));
    }

    @Test
    void probesAskTheManagementPortForHealthWithoutCredentials() {
        for (JsonNode deployment : all("Deployment")) {
            JsonNode container = deployment.at("/spec/template/spec/containers/0");
            String name = deployment.at("/metadata/name").asText();
            assertThat(port(container, "management")).as(name).isEqualTo(Integer.parseInt(config.get("ORDERS_MANAGEMENT_PORT")));
            assertThat(container.at("/startupProbe/httpGet/path").asText()).as(name).isEqualTo("/observe/health/live");
            assertThat(container.at("/livenessProbe/httpGet/path").asText()).as(name).isEqualTo("/observe/health/live");
            assertThat(container.at("/readinessProbe/httpGet/path").asText()).as(name).isEqualTo("/observe/health/ready");
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                assertThat(container.at("/" + probe + "/httpGet/port").asText()).as(name + " " + probe).isEqualTo("management");
                assertThat(container.at("/" + probe + "/httpGet/httpHeaders").isMissingNode()).as("no credentials").isTrue();
            }
        }
        // Jolokia, and only Jolokia, behind Camel's management authentication
        assertThat(config).containsEntry("ORDERS_MANAGEMENT_HOST", "0.0.0.0")
                .containsEntry("CAMEL_MANAGEMENT_AUTHENTICATION_ENABLED", "true")
                .containsEntry("CAMEL_MANAGEMENT_AUTHENTICATION_PATH", "/observe/jolokia/*");
    }

    @Test
    void theGracePeriodCoversThePreStopPauseAndTheShutdownTimeout() {
        int shutdown = Integer.parseInt(config.get("ORDERS_SHUTDOWN_TIMEOUT_SECONDS"));
        for (JsonNode deployment : all("Deployment")) {
            JsonNode command = deployment.at("/spec/template/spec/containers/0/lifecycle/preStop/exec/command");
            Matcher sleep = Pattern.compile("sleep (\\d+)").matcher(command.get(command.size() - 1).asText());
            assertThat(sleep.find()).as("a preStop pause").isTrue();
            int grace = deployment.at("/spec/template/spec/terminationGracePeriodSeconds").asInt();
            assertThat(grace).as(deployment.at("/metadata/name").asText())
                    .isGreaterThan(Integer.parseInt(sleep.group(1)) + shutdown);
        }
    }

    @Test
    void everySecretComesFromASecretObjectAnOperatorMakesNeverFromALiteral() throws IOException {
        assertThat(all("Secret")).as("no Secret is written in the manifests").isEmpty();
        Set<String> kafkaUsers = all("KafkaUser").stream().map(u -> u.at("/metadata/name").asText())
                .collect(Collectors.toSet());
        Set<String> referenced = new HashSet<>();
        for (JsonNode deployment : all("Deployment")) {
            JsonNode container = deployment.at("/spec/template/spec/containers/0");
            for (JsonNode env : list(container.path("env"))) {
                String name = env.get("name").asText();
                if (SECRET_NAME.matcher(name).matches()) {
                    assertThat(env.has("value")).as(name + " is a literal").isFalse();
                    assertThat(env.at("/valueFrom/secretKeyRef/name").isTextual()).as(name).isTrue();
                }
                if (env.at("/valueFrom/secretKeyRef/name").isTextual()) {
                    referenced.add(env.at("/valueFrom/secretKeyRef/name").asText());
                }
            }
            for (JsonNode volume : list(deployment.at("/spec/template/spec/volumes"))) {
                if (volume.has("secret")) {
                    referenced.add(volume.at("/secret/secretName").asText());
                }
            }
        }
        for (JsonNode auth : all("TriggerAuthentication")) {
            list(auth.at("/spec/secretTargetRef")).forEach(r -> referenced.add(r.get("name").asText()));
        }
        assertThat(referenced).isNotEmpty().allSatisfy(secret -> assertThat(kafkaUsers.contains(secret)
                || MADE_BY_AN_OPERATOR.matcher(secret).matches() || CREATED_BY_THE_OPERATOR.contains(secret))
                .as(secret + ": made by no object here and not documented as the operator's").isTrue());
        String kustomization = Files.readString(Path.of("deployments/kubernetes/base/kustomization.yaml"));
        assertThat(kustomization).as("the operator's Secrets are documented").contains(CREATED_BY_THE_OPERATOR);
        assertThat(config.keySet()).as("the ConfigMap holds no secret").noneMatch(k -> SECRET_NAME.matcher(k).matches());
    }

    @Test
    void theConfigurationNamesOnlyKeysThePipelineHas() throws IOException {
        Properties properties = ShippedProperties.load();
        Set<String> known = properties.stringPropertyNames().stream()
                .map(k -> k.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'))
                .collect(Collectors.toSet());
        known.addAll(Set.of("CAMEL_MANAGEMENT_AUTHENTICATION_ENABLED", "CAMEL_MANAGEMENT_AUTHENTICATION_PATH",
                "CAMEL_MANAGEMENT_BASIC_PROPERTIES_FILE", "JDK_JAVA_OPTIONS"));
        assertThat(config.keySet()).allSatisfy(k -> assertThat(known).as(k + " is no key of application.properties")
                .contains(k));
        for (JsonNode deployment : all("Deployment")) {
            for (JsonNode env : list(deployment.at("/spec/template/spec/containers/0/env"))) {
                String name = env.get("name").asText();
                assertThat(name.startsWith("ORDERS_") ? known.contains(name) : name.equals("KAFKA_USERNAME"))
                        .as(name).isTrue();
            }
        }
    }

    @Test
    void theHeapFollowsTheContainersMemoryLimit() {
        String javaOptions = config.get("JDK_JAVA_OPTIONS");
        assertThat(javaOptions).contains("-XX:MaxRAMPercentage=").doesNotContain("-Xmx");
        for (JsonNode deployment : all("Deployment")) {
            assertThat(container(deployment.at("/metadata/name").asText()).at("/resources/limits/memory").asText())
                    .as("a memory limit to size the heap from").isNotEmpty();
        }
    }

    @Test
    void scalingStaysWithinWhatThePartitionsCanUse() {
        int partitions = only("KafkaTopic", "orders").at("/spec/partitions").asInt();
        int perPod = Integer.parseInt(config.get("ORDERS_SINK_CONSUMERS"));
        assertThat(Integer.parseInt(config.get("ORDERS_KAFKA_PARTITIONS"))).isEqualTo(partitions);
        assertThat(only("KafkaTopic", "orders.dlt").at("/spec/topicName").asText()).isEqualTo("orders.DLT");

        JsonNode scaled = only("ScaledObject", null);
        assertThat(scaled.at("/spec/scaleTargetRef/name").asText()).isEqualTo("order-pipeline-consume");
        assertThat(scaled.at("/spec/maxReplicaCount").asInt()).as("consume pods").isPositive()
                .isLessThanOrEqualTo(partitions / perPod);
        JsonNode lag = scaled.at("/spec/triggers/0/metadata");
        assertThat(lag.get("consumerGroup").asText()).isEqualTo(config.get("ORDERS_KAFKA_CONSUMER_GROUP"));
        assertThat(lag.get("topic").asText()).isEqualTo("orders");
        assertThat(lag.get("bootstrapServers").asText()).isEqualTo(config.get("ORDERS_KAFKA_BROKERS"));

        JsonNode hpa = only("HorizontalPodAutoscaler", null);
        assertThat(hpa.at("/spec/scaleTargetRef/name").asText()).isEqualTo("order-pipeline-produce");
        assertThat(hpa.at("/spec/metrics/0/resource/name").asText()).isEqualTo("cpu");
        assertThat(hpa.at("/spec/minReplicas").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(container("order-pipeline-produce").at("/resources/requests/cpu").isTextual())
                .as("CPU utilisation needs a request").isTrue();
    }

    @Test
    void selectorsAndPortsMeetThePodsTheyName() {
        Map<String, JsonNode> podLabels = new HashMap<>();
        all("Deployment").forEach(d -> podLabels.put(d.at("/metadata/name").asText(), d.at("/spec/template/metadata/labels")));
        for (JsonNode pdb : all("PodDisruptionBudget")) {
            assertThat(podLabels.values()).as(pdb.at("/metadata/name").asText())
                    .anySatisfy(labels -> assertThat(matches(pdb.at("/spec/selector/matchLabels"), labels)).isTrue());
        }
        JsonNode service = only("Service", "order-pipeline-produce");
        assertThat(matches(service.at("/spec/selector"), podLabels.get("order-pipeline-produce"))).isTrue();
        assertThat(port(container("order-pipeline-produce"), service.at("/spec/ports/0/targetPort").asText()))
                .isEqualTo(Integer.parseInt(config.get("ORDERS_HTTP_PORT")));
        JsonNode monitor = only("PodMonitor", null);
        assertThat(monitor.at("/spec/podMetricsEndpoints/0/path").asText()).isEqualTo("/observe/metrics");
        for (String deployment : podLabels.keySet()) {
            assertThat(matches(monitor.at("/spec/selector/matchLabels"), podLabels.get(deployment))).as(deployment).isTrue();
        }
        for (JsonNode policy : all("NetworkPolicy")) {
            for (JsonNode rule : list(policy.at("/spec/ingress"))) {
                assertThat(rule.at("/from").size()).as("every opening names its source").isPositive();
                for (JsonNode p : list(rule.at("/ports"))) {
                    assertThat(podLabels.keySet()).anySatisfy(d -> assertThat(port(container(d), p.get("port").asText()))
                            .isPositive());
                }
            }
        }
    }

    private static boolean matches(JsonNode selector, JsonNode labels) {
        return selector.size() > 0 && StreamSupport.stream(((ObjectNode) selector).properties().spliterator(), false)
                .allMatch(e -> e.getValue().asText().equals(labels.path(e.getKey()).asText()));
    }

    private static int port(JsonNode container, String name) {
        return list(container.path("ports")).stream().filter(p -> name.equals(p.path("name").asText()))
                .mapToInt(p -> p.get("containerPort").asInt()).findFirst().orElse(-1);
    }
}
