package io.orderpipeline.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.orderpipeline.order.RecordHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.Variable;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConstants;

/**
 * The names routes and Java share, checked across the routes and application.properties: every variable read
 * ({@code ${variable.x}} in a route or a statement, a bean parameter bound with {@code @Variable}) is set by some step
 * ({@code setVariable}); every header read ({@code ${header.x}}, {@code ${header[x]}}, a {@code header} expression, a
 * bean parameter bound with {@code @Header}) is set by some step, is one Camel's components declare, or is a request
 * header or path parameter of the API (openapi.json); every header a route sets that is none of those is a record
 * header declared in {@link RecordHeaders}; and every bean method a route names exists on the bean's class.
 */
public final class RouteNames {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern READ = Pattern.compile("\\$\\{variable\\.([A-Za-z0-9_]+)");
    private static final Pattern BEAN_CLASS = Pattern.compile("#class:([\\w.$]+)");
    private static final Pattern HEADER_READ = Pattern.compile("\\$\\{headers?(?:\\.([A-Za-z0-9_.-]+)|\\[([^\\]]+)\\])");
    /** Header names Camel's components set or read themselves. */
    private static final Set<String> CAMEL_HEADERS = constants(Exchange.class, KafkaConstants.class,
            VertxPlatformHttpConstants.class);

    private final Set<String> set = new TreeSet<>();
    private final Set<String> read = new TreeSet<>();
    private final Set<String> headersSet = new TreeSet<>();
    private final Set<String> headersRead = new TreeSet<>();
    private final Set<String> apiHeaders = apiHeaders();
    private final List<String> problems = new ArrayList<>();
    private final Properties properties = ShippedProperties.load();

    /** Reads the route files and application.properties; {@link #problems()} says what does not fit. */
    public RouteNames(List<Path> routeFiles) {
        for (String key : properties.stringPropertyNames()) {
            reads(properties.getProperty(key), "application.properties " + key);
            Matcher bean = BEAN_CLASS.matcher(properties.getProperty(key));
            if (key.startsWith("camel.beans.") && bean.find()) {
                variablesOf(bean.group(1));
            }
        }
        for (Path file : routeFiles) {
            try {
                walk(YAML.readTree(file.toFile()), file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (String name : read) {
            if (!set.contains(name)) {
                problems.add("variable '" + name + "' is read but no step sets it");
            }
        }
        Set<String> recordHeaders = constants(RecordHeaders.class);
        for (String name : headersRead) {
            if (!headersSet.contains(name) && !CAMEL_HEADERS.contains(name) && !apiHeaders.contains(name)) {
                problems.add("header '" + name + "' is read but no step sets it, and neither Camel nor the API has it");
            }
        }
        for (String name : headersSet) {
            if (!CAMEL_HEADERS.contains(name) && !apiHeaders.contains(name) && !recordHeaders.contains(name)) {
                problems.add("header '" + name + "' is set but not declared in " + RecordHeaders.class.getName());
            }
        }
    }

    public List<String> problems() {
        return problems;
    }

    private void walk(JsonNode node, Path file) {
        if (node.isObject()) {
            JsonNode setVariable = node.get("setVariable");
            if (setVariable != null && setVariable.hasNonNull("name")) {
                set.add(setVariable.get("name").asText());
            }
            JsonNode setHeader = node.get("setHeader");
            if (setHeader != null && setHeader.hasNonNull("name")) {
                headersSet.add(setHeader.get("name").asText());
            }
            JsonNode setHeaders = node.get("setHeaders");
            if (setHeaders != null && setHeaders.has("headers")) {
                setHeaders.get("headers").forEach(h -> headersSet.add(h.path("name").asText()));
            }
            JsonNode header = node.get("header");
            if (header != null && header.isTextual()) {
                headersRead.add(header.asText());
            }
            JsonNode from = node.get("from");
            if (from != null && from.path("uri").asText().startsWith("platform-http:")) {
                // the path's {parameters} come as headers
                Matcher parameter = Pattern.compile("\\{([^}]+)}").matcher(from.path("uri").asText());
                while (parameter.find()) {
                    headersSet.add(parameter.group(1));
                }
            }
            JsonNode bean = node.get("bean");
            if (bean != null && bean.hasNonNull("ref") && bean.hasNonNull("method")) {
                String definition = properties.getProperty("camel.beans." + bean.get("ref").asText());
                Matcher type = BEAN_CLASS.matcher(definition == null ? "" : definition);
                if (!type.find()) {
                    problems.add(file + ": bean '" + bean.get("ref").asText() + "' is not declared in camel.beans.*");
                } else {
                    method(type.group(1), bean.get("method").asText(), file);
                }
            }
            if (node.has("beanType") && node.hasNonNull("method")) {
                method(node.get("beanType").asText(), node.get("method").asText(), file);
                variablesOf(node.get("beanType").asText());
            }
            node.fields().forEachRemaining(field -> walk(field.getValue(), file));
        } else if (node.isArray()) {
            node.forEach(element -> walk(element, file));
        } else if (node.isTextual()) {
            reads(node.asText(), file.toString());
        }
    }

    private void reads(String text, String where) {
        Matcher m = READ.matcher(text);
        while (m.find()) {
            read.add(m.group(1));
        }
        Matcher h = HEADER_READ.matcher(text);
        while (h.find()) {
            headersRead.add(h.group(1) != null ? h.group(1) : h.group(2));
        }
    }

    /** The {@code @Variable} and {@code @Header} parameters of the bean class's public methods are reads too. */
    private void variablesOf(String className) {
        for (Method method : type(className).getMethods()) {
            for (Parameter parameter : method.getParameters()) {
                Variable variable = parameter.getAnnotation(Variable.class);
                if (variable != null) {
                    read.add(variable.value());
                }
                Header header = parameter.getAnnotation(Header.class);
                if (header != null) {
                    headersRead.add(header.value());
                }
            }
        }
    }

    /** The values of a class's public String constants. */
    private static Set<String> constants(Class<?>... types) {
        Set<String> values = new TreeSet<>();
        for (Class<?> type : types) {
            for (Field field : type.getFields()) {
                if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                    try {
                        values.add((String) field.get(null));
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return values;
    }

    /** The request headers, path parameters and response headers the API document names. */
    private static Set<String> apiHeaders() {
        Set<String> names = new TreeSet<>();
        try {
            JsonNode api = new ObjectMapper().readTree(Path.of("src/main/resources/openapi.json").toFile());
            api.findValues("parameters").forEach(list -> list.forEach(p -> {
                String in = p.path("in").asText();
                if (in.equals("header") || in.equals("path")) {
                    names.add(p.path("name").asText());
                }
            }));
            api.findValues("headers").forEach(headers -> headers.fieldNames().forEachRemaining(names::add));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    private void method(String className, String call, Path file) {
        String name = call.contains("(") ? call.substring(0, call.indexOf('(')) : call;
        boolean exists = Arrays.stream(type(className).getMethods())
                .anyMatch(m -> m.getName().equals(name) && Modifier.isPublic(m.getModifiers()));
        if (!exists) {
            problems.add(file + ": " + className + " has no public method '" + name + "'");
        }
    }

    private static Class<?> type(String className) {
        try {
            return Class.forName(className);
        } catch (ClassNotFoundException e) {
            throw new AssertionError("a route or application.properties names class " + className + ", not found", e);
        }
    }
}
