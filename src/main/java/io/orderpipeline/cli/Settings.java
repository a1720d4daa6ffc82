package io.orderpipeline.cli;

import java.nio.file.Path;
import java.util.Locale;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The handful of settings the launcher needs before the pipeline's Camel context exists (which services to embed,
 * ports, data dir), read through Camel's properties component with the locations Camel Main is given, so each key
 * resolves exactly as the routes will see it (environment variable, -D property, -c file, application.properties).
 */
final class Settings {

    /** The packaged defaults: the last location, and the source Camel names for a key nobody overrode. */
    static final String PACKAGED = "classpath:application.properties";

    private final PropertiesComponent properties;
    private final String locations;

    private Settings(PropertiesComponent properties, String locations) {
        this.properties = properties;
        this.locations = locations;
    }

    /** The settings of the packaged application.properties, with the -c file (may be null) over them. */
    static Settings load(Path configFile) {
        String locations = configFile == null ? PACKAGED : "file:" + configFile.toAbsolutePath() + "," + PACKAGED;
        // a context that is built, never started: it only lends its properties component (no threads, no routes)
        DefaultCamelContext context = new DefaultCamelContext(false);
        context.getPropertiesComponent().setLocation(locations);
        context.build();
        return new Settings(context.getPropertiesComponent(), locations);
    }

    /** The property locations, in Camel's order (the first that has a key wins), for Camel Main. */
    String locations() {
        return locations;
    }

    String get(String key) {
        return properties.resolveProperty(key).map(String::trim)
                .orElseThrow(() -> new IllegalArgumentException("missing configuration property " + key));
    }

    /** The value of a key, or null when it is unset or empty. */
    String find(String key) {
        return properties.resolveProperty(key).map(String::trim).filter(v -> !v.isEmpty()).orElse(null);
    }

    int getInt(String key) {
        String value = get(key);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, got '" + value + "'");
        }
    }

    /** True when the key's value comes from the user (environment, -D or -c file), not the packaged default. */
    boolean isSetByUser(String key) {
        properties.resolveProperty(key);
        return properties.getResolvedValue(key).map(v -> !PACKAGED.equals(v.source())).orElse(false);
    }

    /** The environment variable Camel reads for a key (upper case, '.' and '-' as '_'), for messages. */
    static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
