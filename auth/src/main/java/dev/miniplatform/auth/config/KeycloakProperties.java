package dev.miniplatform.auth.config;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.util.Set;

/**
 * {@code platform.keycloak.*}: where Keycloak is and how its tokens map onto platform callers.
 *
 * @param url                 base URL, e.g. {@code http://127.0.0.1:8180}
 * @param realm               the platform realm
 * @param audience            audience every access token must carry
 * @param consoleClients      clients whose tokens stand for a logged-in person
 * @param isvClientPrefix     client ids of ISV applications start with this
 * @param walletClientPrefix  client ids of wallets start with this
 * @param adminClientId       confidential client whose service account the admin client uses
 * @param adminClientSecret   its secret
 */
@Validated
@ConfigurationProperties("platform.keycloak")
public record KeycloakProperties(
        @NotBlank @DefaultValue("http://127.0.0.1:8180") String url,
        @NotBlank @DefaultValue("platform") String realm,
        @NotBlank @DefaultValue("platform-api") String audience,
        @DefaultValue({"platform-console", "platform-cli"}) Set<String> consoleClients,
        @NotBlank @DefaultValue("isv-") String isvClientPrefix,
        @NotBlank @DefaultValue("wallet-") String walletClientPrefix,
        @NotBlank @DefaultValue("platform-backend") String adminClientId,
        @NotBlank @DefaultValue("dev-platform-backend-secret") String adminClientSecret) {

    public String issuer() {
        return url + "/realms/" + realm;
    }

    public URI jwkSetUri() {
        return URI.create(issuer() + "/protocol/openid-connect/certs");
    }
}
