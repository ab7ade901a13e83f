package dev.miniplatform.api;

import dev.miniplatform.auth.config.KeycloakProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The application as production starts it: no dev or test profile, no dev services. Everything the start needs is
 * configured except the Keycloak service-account secret, which has no default outside the dev and test profiles,
 * so the start must fail, naming the setting and what to do.
 */
@ExtendWith(OutputCaptureExtension.class)
class ProductionConfigurationTest {

    /** What an operator would configure, minus the secret. No service needs to answer: the start stops earlier. */
    private static final Map<String, Object> PRODUCTION_SETTINGS = Map.of(
            "server.port", "0",
            "spring.r2dbc.url", "r2dbc:postgresql://127.0.0.1:1/platform",
            "spring.r2dbc.username", "platform_app",
            "spring.flyway.enabled", "false",
            "spring.data.redis.host", "127.0.0.1",
            "spring.mail.host", "127.0.0.1",
            "platform.keycloak.url", "https://id.example.com",
            "springdoc.pre-loading-enabled", "false");

    @Test
    void withoutTheServiceAccountSecretTheApplicationRefusesToStart(CapturedOutput output) {
        SpringApplication application = new SpringApplicationBuilder(PlatformApplication.class)
                .properties(PRODUCTION_SETTINGS)
                .build();

        assertThatThrownBy(application::run)
                .hasRootCauseInstanceOf(BindValidationException.class)
                .rootCause()
                .hasMessageContaining("adminClientSecret")
                .hasMessageContaining("must be set outside the dev and test profiles");
        // the failure analysis printed at start-up says what to configure
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Binding to target " + KeycloakProperties.class.getName() + " failed")
                .contains("platform.keycloak.admin-client-secret (env PLATFORM_KEYCLOAK_ADMINCLIENTSECRET) must be set")
                .contains("there is deliberately no default");
    }
}
