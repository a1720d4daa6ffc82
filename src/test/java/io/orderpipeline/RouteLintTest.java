package io.orderpipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.orderpipeline.support.RouteLint;
import io.orderpipeline.support.RouteNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Route lint in the build: every route file must match the YAML DSL's JSON schema, or the build fails. */
class RouteLintTest {

    /** the schema is read and compiled once (about a second each time), then checks every file */
    private static RouteLint lint;

    private static synchronized RouteLint lint() throws IOException {
        if (lint == null) {
            lint = new RouteLint();
        }
        return lint;
    }

    static Stream<Path> routeFiles() throws IOException {
        return Files.list(Path.of("src/main/resources/routes")).filter(p -> p.toString().endsWith(".camel.yaml"))
                .sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routeFiles")
    void matchesTheYamlDslSchema(Path file) throws IOException {
        List<String> problems = lint().check(file);

        assertThat(problems).as("route lint of " + file).isEmpty();
    }

    @Test
    void thereAreRoutesToLint() throws IOException {
        assertThat(routeFiles()).hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void aBrokenRouteIsReportedWithItsFileAndLine(@TempDir Path dir) throws IOException {
        Path broken = dir.resolve("broken.camel.yaml");
        Files.writeString(broken, """
                - route:
                    id: broken
                    from:
                      uri: timer:tick
                      steps:
                        - setBody:
                            constant: hello
                        - lgo:
                            message: "typo in the step name"
                """);

        List<String> problems = lint().check(broken);

        assertThat(problems).isNotEmpty();
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith(broken + ":8:").contains("lgo"));
    }

    @Test
    void everyVariableReadIsSetAndEveryBeanMethodNamedExists() throws IOException {
        List<String> problems = new RouteNames(routeFiles().toList()).problems();

        assertThat(problems).as("names shared by the routes, application.properties and Java").isEmpty();
    }

    @Test
    void aRouteReadingAnUnsetVariableOrNamingAMissingMethodIsReported(@TempDir Path dir) throws IOException {
        Path broken = dir.resolve("broken.camel.yaml");
        Files.writeString(broken, """
                - route:
                    id: broken
                    from:
                      uri: timer:tick
                      steps:
                        - setVariable:
                            name: orderId
                            simple: "${body}"
                        - log:
                            message: "${variable.ordreId}"
                        - bean:
                            ref: orderRequests
                            method: fromRequets
                        - setBody:
                            method:
                              beanType: io.orderpipeline.http.ErrorBody
                              method: "off(${exception})"
                """);

        List<String> problems = new RouteNames(List.of(broken)).problems();

        assertThat(problems).anySatisfy(p -> assertThat(p).contains("'ordreId'"))
                .anySatisfy(p -> assertThat(p).contains("'fromRequets'"))
                .anySatisfy(p -> assertThat(p).contains("'off'"));
    }
}
