package dev.miniplatform.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.data.r2dbc.repository.config.EnableR2dbcRepositories;

@SpringBootApplication(scanBasePackages = "dev.miniplatform")
@ConfigurationPropertiesScan("dev.miniplatform")
@EnableR2dbcRepositories(basePackages = "dev.miniplatform.model")
public class PlatformApplication {

    /** Starts the API; {@code migrate [--setting=value …]} migrates the schema and exits instead ({@link SchemaMigration}). */
    public static void main(String[] args) {
        if (SchemaMigration.isRequested(args)) {
            System.exit(SchemaMigration.run(args));
        }
        SpringApplication.run(PlatformApplication.class, args);
    }
}
