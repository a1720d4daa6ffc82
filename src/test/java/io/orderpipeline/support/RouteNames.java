package io.orderpipeline.support;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import org.apache.camel.Variable;

/**
 * The names routes and Java share, checked across the routes and application.properties: every variable read
 * ({@code ${variable.x}} in a route or a statement, a bean parameter bound with {@code @Variable}) is set by some step
 * ({@code setVariable}), and every bean method a route names exists on the bean's class.
 */
public final class RouteNames {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern READ = Pattern.compile("\\$\\{variable\\.([A-Za-z0-9_]+)");
    private static final Pattern BEAN_CLASS = Pattern.compile("#class:([\\w.$]+)");

    private final Set<String> set = new TreeSet<>();
    private final Set<String> read = new TreeSet<>();
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
    }

    /** The {@code @Variable} parameters of the bean class's public methods are reads too. */
    private void variablesOf(String className) {
        for (Method method : type(className).getMethods()) {
            for (Parameter parameter : method.getParameters()) {
                Variable variable = parameter.getAnnotation(Variable.class);
                if (variable != null) {
                    read.add(variable.value());
                }
            }
        }
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
