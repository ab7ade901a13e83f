package dev.miniplatform.devservices;

import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.HashMap;
import java.util.Map;

/**
 * Gives dev and test runs real PostgreSQL, Redis, Keycloak and SMTP without any set-up, by pointing the standard
 * connection properties at services it finds or starts. A property the user set explicitly always wins, and the
 * whole thing is off unless {@code platform.dev-services.enabled=true} (the dev and test profiles set it).
 * Services are obtained once per JVM, so every Spring context of a test run shares one Keycloak and one database;
 * each service when a context first needs it, so a context that brings its own (a test's replicated PostgreSQL, its
 * own Redis) does not leave the contexts after it without one.
 */
class DevServicesEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    private static final String SOURCE = "platform-dev-services";
    private static final Map<String, Map<String, Object>> provided = new HashMap<>();

    private final Log log;

    DevServicesEnvironmentPostProcessor(DeferredLogFactory logFactory) {
        this.log = logFactory.getLog(DevServicesEnvironmentPostProcessor.class);
    }

    @Override
    public int getOrder() {
        // after application.yaml and profile files are loaded, so their settings are visible here
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        DevServicesSettings settings = DevServicesSettings.from(environment);
        if (!settings.enabled()) {
            return;
        }
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE, provide(environment, settings, log)));
    }

    private static synchronized Map<String, Object> provide(ConfigurableEnvironment environment, DevServicesSettings settings,
                                                            Log log) {
        Map<String, Object> properties = new HashMap<>();
        if (!environment.containsProperty("spring.r2dbc.url")) {
            properties.putAll(provided.computeIfAbsent("postgres", service -> postgres(settings, log)));
        }
        if (!environment.containsProperty("spring.data.redis.host") && !environment.containsProperty("spring.data.redis.url")) {
            properties.putAll(provided.computeIfAbsent("redis", service -> {
                ServiceAddress redis = new RedisProvisioner(settings, log).provide();
                return Map.of("spring.data.redis.host", redis.host(), "spring.data.redis.port", redis.port());
            }));
        }
        if (!environment.containsProperty("spring.mail.host")) {
            properties.putAll(provided.computeIfAbsent("smtp", service -> {
                ServiceAddress smtp = MailCatcher.start();
                log.info("SMTP for this run: %s:%d (%s)".formatted(smtp.host(), smtp.port(), smtp.origin()));
                return Map.of("spring.mail.host", smtp.host(), "spring.mail.port", smtp.port());
            }));
        }
        if (!environment.containsProperty("platform.keycloak.url")) {
            properties.putAll(provided.computeIfAbsent("keycloak", service ->
                    Map.of("platform.keycloak.url", new KeycloakProvisioner(settings, log).provide())));
        }
        return properties;
    }

    private static Map<String, Object> postgres(DevServicesSettings settings, Log log) {
        PostgresProvisioner.Endpoint postgres = new PostgresProvisioner(settings, log).provide();
        return Map.of(
                "spring.r2dbc.url", postgres.r2dbcUrl(),
                "spring.r2dbc.username", postgres.settings().appRole(),
                "spring.r2dbc.password", postgres.settings().appPassword(),
                "spring.flyway.url", postgres.jdbcUrl(),
                "spring.flyway.user", postgres.settings().superuser(),
                "spring.flyway.password", postgres.settings().superuserPassword(),
                "spring.flyway.placeholders.app_role", postgres.settings().appRole());
    }
}
