package io.orderpipeline.platform.db;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the Flyway migrations in {@code migrations/} (packaged into the jar as {@code classpath:migrations}).
 * A location that does not exist is an error, never a silent no-op.
 */
public final class DatabaseMigrator {

    private final DataSource dataSource;
    private final String location;

    public DatabaseMigrator(DataSource dataSource, String location) {
        this.dataSource = dataSource;
        this.location = location;
    }

    public MigrateResult migrate() {
        return Flyway.configure(getClass().getClassLoader())
                .dataSource(dataSource)
                .locations(location)
                .failOnMissingLocations(true)
                .load()
                .migrate();
    }
}
