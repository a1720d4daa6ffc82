package io.orderpipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /** Comments too: a route says which class makes its body; a moved or renamed class must not leave it wrong. */
    @Test
    void everyClassTheRoutesAndTheConfigurationNameExists() throws IOException {
        Pattern named = Pattern.compile("io\\.orderpipeline(?:\\.[a-z]\\w*)*(?:\\.[A-Z]\\w*)+");
        List<Path> files = new ArrayList<>(routeFiles().toList());
        files.add(Path.of("application.properties"));
        files.add(Path.of("src/main/resources/jolokia-access.xml"));
        files.add(Path.of("src/main/resources/log4j2.properties"));
        List<String> missing = new ArrayList<>();
        for (Path file : files) {
            Matcher m = named.matcher(Files.readString(file));
            while (m.find()) {
                if (!exists(m.group())) {
                    missing.add(file + ": " + m.group());
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    /** A class, a nested class, or a constant of one ({@code a.b.C}, {@code a.b.C.D}, {@code a.b.C.NAME}). */
    private static boolean exists(String name) {
        List<String> parts = List.of(name.split("\\."));
        int firstClass = 0;
        while (!Character.isUpperCase(parts.get(firstClass).charAt(0))) {
            firstClass++;
        }
        for (int last = parts.size(); last > firstClass; last--) {
            String type = String.join(".", parts.subList(0, firstClass + 1))
                    + parts.subList(firstClass + 1, last).stream().map(p -> "$" + p).reduce("", String::concat);
            try {
                Class.forName(type);
                return true;
            } catch (ClassNotFoundException e) {
                // fewer parts: the rest may be a constant
            }
        }
        return false;
    }

    @Test
    void aRouteReadingAnUnsetNameOrNamingAMissingMethodIsReported(@TempDir Path dir) throws IOException {
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
                              beanType: io.orderpipeline.platform.http.ErrorBody
                              method: "off(${exception})"
                        - setHeader:
                            name: clientId
                            simple: "${header[Idempotency-Kee]}"
                        - log:
                            message: "${header.client_id} ${header[Idempotency-Key]} ${header.kafka.KEY}"
                """);

        List<String> problems = new RouteNames(List.of(broken)).problems();

        assertThat(problems).anySatisfy(p -> assertThat(p).contains("'ordreId'"))
                .anySatisfy(p -> assertThat(p).contains("'fromRequets'"))
                .anySatisfy(p -> assertThat(p).contains("'off'"))
                .anySatisfy(p -> assertThat(p).contains("header 'Idempotency-Kee' is read"))
                .anySatisfy(p -> assertThat(p).contains("header 'clientId' is set but not declared"))
                // read but set by no step here: only the shipped routes set client_id
                .anySatisfy(p -> assertThat(p).contains("header 'client_id' is read"))
                .noneSatisfy(p -> assertThat(p).contains("'Idempotency-Key'"))
                .noneSatisfy(p -> assertThat(p).contains("'kafka'"));
    }
}
