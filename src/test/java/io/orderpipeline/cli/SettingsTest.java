package io.orderpipeline.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The launcher's settings resolve as Camel resolves them for the routes: -D over the -c file over the packaged file. */
class SettingsTest {

    @TempDir
    Path dir;

    @AfterEach
    void clearSystemProperties() {
        System.clearProperty("orders.http.port");
        System.clearProperty("orders.kafka.brokers");
    }

    @Test
    void packagedDefaultsAreNotSetByTheUser() {
        Settings settings = Settings.load(null);
        assertThat(settings.getInt("orders.http.port")).isEqualTo(1378);
        assertThat(settings.isSetByUser("orders.http.port")).isFalse();
        assertThat(settings.locations()).isEqualTo("classpath:application.properties");
    }

    @Test
    void configFileOverridesThePackagedFileAndSystemPropertiesOverrideBoth() throws Exception {
        Path file = Files.writeString(dir.resolve("site.properties"),
                "orders.http.port = 2000\norders.kafka.brokers = kafka.example:9092\n");
        System.setProperty("orders.http.port", "3000");
        Settings settings = Settings.load(file);
        assertThat(settings.getInt("orders.http.port")).isEqualTo(3000);
        assertThat(settings.get("orders.kafka.brokers")).isEqualTo("kafka.example:9092");
        assertThat(settings.isSetByUser("orders.kafka.brokers")).isTrue();
        assertThat(settings.isSetByUser("orders.http.port")).isTrue();
        assertThat(settings.isSetByUser("orders.db.url")).isFalse();
        assertThat(settings.locations()).startsWith("file:" + file.toAbsolutePath() + ",");
    }

    @Test
    void placeholdersResolveAndMissingKeysAreNamed() throws Exception {
        Path file = Files.writeString(dir.resolve("site.properties"),
                "orders.kafka.brokers = {{orders.http.host}}:9092\norders.db.password =\n");
        Settings settings = Settings.load(file);
        assertThat(settings.get("orders.kafka.brokers")).isEqualTo(settings.get("orders.http.host") + ":9092");
        assertThat(settings.find("orders.db.password")).as("empty means unset").isNull();
        assertThat(settings.get("orders.db.password")).isEmpty();
        assertThatThrownBy(() -> settings.get("orders.no-such-key")).hasMessageContaining("orders.no-such-key");
        assertThatThrownBy(() -> settings.getInt("orders.kafka.brokers")).hasMessageContaining("must be a number");
    }
}
