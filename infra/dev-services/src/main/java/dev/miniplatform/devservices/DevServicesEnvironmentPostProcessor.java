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
 * Services are obtained once per JVM, so every Spring context of a test run shares one Keycloak and one database.
 */
class DevServicesEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    private static final String SOURCE = "platform-dev-services";
    private static Map<String, Object> provided;

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
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE, provide(environment, settings)));
    }

    private synchronized Map<String, Object> provide(ConfigurableEnvironment environment, DevServicesSettings settings) {
        if (provided == null) {
            provided = Map.copyOf(provision(environment, settings));
        }
        return provided;
    }

    private Map<String, Object> provision(ConfigurableEnvironment environment, DevServicesSettings settings) {
        Map<String, Object> properties = new HashMap<>();
        if (!environment.containsProperty("spring.r2dbc.url")) {
            PostgresProvisioner.Endpoint postgres = new PostgresProvisioner(settings, log).provide();
            properties.put("spring.r2dbc.url", postgres.r2dbcUrl());
            properties.put("spring.r2dbc.username", postgres.settings().appRole());
            properties.put("spring.r2dbc.password", postgres.settings().appPassword());
            properties.put("spring.flyway.url", postgres.jdbcUrl());
            properties.put("spring.flyway.user", postgres.settings().superuser());
            properties.put("spring.flyway.password", postgres.settings().superuserPassword());
            properties.put("spring.flyway.placeholders.app_role", postgres.settings().appRole());
        }
        if (!environment.containsProperty("spring.data.redis.host") && !environment.containsProperty("spring.data.redis.url")) {
            ServiceAddress redis = new RedisProvisioner(settings, log).provide();
            properties.put("spring.data.redis.host", redis.host());
            properties.put("spring.data.redis.port", redis.port());
        }
        if (!environment.containsProperty("spring.mail.host")) {
            ServiceAddress smtp = MailCatcher.start();
            log.info("SMTP for this run: %s:%d (%s)".formatted(smtp.host(), smtp.port(), smtp.origin()));
            properties.put("spring.mail.host", smtp.host());
            properties.put("spring.mail.port", smtp.port());
        }
        if (!environment.containsProperty("platform.keycloak.url")) {
            properties.put("platform.keycloak.url", new KeycloakProvisioner(settings, log).provide());
        }
        return properties;
    }
}
