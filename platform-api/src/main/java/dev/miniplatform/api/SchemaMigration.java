package dev.miniplatform.api;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

import java.util.Arrays;
import java.util.Map;

/**
 * The schema migration as a command of its own ({@code java … PlatformApplication migrate}): Flyway with the
 * application's own settings ({@code spring.flyway.*}, application.yaml's placeholders) and nothing else, then exit.
 * A deployment runs it once per release (the Kubernetes migration Job, same image) and starts the API nodes with
 * {@code spring.flyway.enabled=false}, so nodes need neither the schema owner's credentials nor a race to migrate.
 * No web server, Redis, Keycloak or relay is started: the command needs only the owner's JDBC settings.
 */
// not a @Configuration: PlatformApplication's component scan must not pick it up
@ImportAutoConfiguration(FlywayAutoConfiguration.class)
class SchemaMigration {

    static final String COMMAND = "migrate";

    private SchemaMigration() {
    }

    static boolean isRequested(String[] args) {
        return args.length > 0 && COMMAND.equals(args[0]);
    }

    /** Migrates (or fails, throwing the start-up failure Spring Boot has already explained in the log) and returns the exit code. */
    static int run(String[] args) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(SchemaMigration.class)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .initializers(SchemaMigration::enableFlyway)
                .run(Arrays.copyOfRange(args, 1, args.length));
        return SpringApplication.exit(context);
    }

    /**
     * Migrating is the whole point: a {@code spring.flyway.enabled=false} meant for the API nodes (an environment or
     * arguments shared with them) must not turn it off here, so this source goes before all others.
     */
    private static void enableFlyway(ConfigurableApplicationContext context) {
        context.getEnvironment()
                .getPropertySources()
                .addFirst(new MapPropertySource("schema-migration", Map.of("spring.flyway.enabled", "true")));
    }
}
