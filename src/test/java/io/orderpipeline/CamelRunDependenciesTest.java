package io.orderpipeline;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Properties;

import io.orderpipeline.support.ShippedProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * camel.jbang.dependencies in application.properties (what {@code camel run} adds for the bean sources) names the
 * versions the build uses: each group:artifact:version is the version of that artifact's jar on the test classpath.
 */
class CamelRunDependenciesTest {

    @Test
    void theCamelCliGetsTheBuildsVersions() throws IOException {
        Properties properties = ShippedProperties.load();
        String declared = properties.getProperty("camel.jbang.dependencies");
        assertThat(declared).isNotBlank();

        List<String> mismatches = new ArrayList<>();
        List<String> coordinates = Arrays.stream(declared.split(",")).map(String::trim)
                .filter(c -> !c.startsWith("camel:")).toList();
        for (String coordinate : coordinates) {
            String[] gav = coordinate.split(":");
            assertThat(gav).as(coordinate).hasSize(3);
            String onClasspath = version(gav[0], gav[1]);
            if (!gav[2].equals(onClasspath)) {
                mismatches.add(coordinate + " (the build has " + onClasspath + ")");
            }
        }
        assertThat(coordinates).hasSizeGreaterThanOrEqualTo(7);
        assertThat(mismatches).isEmpty();
    }

    /** The version of the artifact's jar on the test classpath, from its path in the Maven repository. */
    private static String version(String group, String artifact) throws IOException {
        String directory = "/" + group.replace('.', '/') + "/" + artifact + "/";
        Enumeration<URL> manifests = CamelRunDependenciesTest.class.getClassLoader()
                .getResources("META-INF/MANIFEST.MF");
        while (manifests.hasMoreElements()) {
            String url = manifests.nextElement().toString();
            int at = url.indexOf(directory);
            if (at >= 0) {
                String rest = url.substring(at + directory.length());
                return rest.substring(0, rest.indexOf('/'));
            }
        }
        return "none";
    }
}
