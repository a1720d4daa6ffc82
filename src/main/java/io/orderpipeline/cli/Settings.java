package io.orderpipeline.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

/**
 * The handful of settings the launcher needs before Camel starts (which services to embed, ports, data dir), read
 * with the same precedence Camel's properties component applies to the routes: environment variable, then -D system
 * property, then the -c file, then application.properties.
 */
final class Settings {

    private final Properties defaults;
    private final Properties file;

    private Settings(Properties defaults, Properties file) {
        this.defaults = defaults;
        this.file = file;
    }

    static Settings load(Path configFile) throws IOException {
        Properties defaults = new Properties();
        try (InputStream in = Settings.class.getClassLoader().getResourceAsStream("application.properties")) {
            if (in == null) {
                throw new IOException("application.properties is missing from the classpath");
            }
            defaults.load(in);
        }
        Properties file = new Properties();
        if (configFile != null) {
            try (Reader in = Files.newBufferedReader(configFile)) {
                file.load(in);
            }
        }
        return new Settings(defaults, file);
    }

    String get(String key) {
        String env = System.getenv(envName(key));
        if (env != null) {
            return env;
        }
        String sys = System.getProperty(key);
        if (sys != null) {
            return sys;
        }
        String value = file.getProperty(key, defaults.getProperty(key));
        if (value == null) {
            throw new IllegalArgumentException("missing configuration property " + key);
        }
        return value.trim();
    }

    /** The value of a key, or null when it is unset or empty. */
    String find(String key) {
        String env = System.getenv(envName(key));
        String value = env != null ? env : System.getProperty(key, file.getProperty(key, defaults.getProperty(key)));
        return value == null || value.isBlank() ? null : value.trim();
    }

    int getInt(String key) {
        String value = get(key);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, got '" + value + "'");
        }
    }

    /** True when the user set the key (env, -D or -c file) rather than leaving the packaged default. */
    boolean isSetByUser(String key) {
        return System.getenv(envName(key)) != null || System.getProperty(key) != null || file.containsKey(key);
    }

    static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
