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
 * @param consoleClients      clients whose tokens stand for a logged-in person: the console (authorization code +
 *                            PKCE) and the developer CLI {@code mpp} (device authorization grant); both log the person in
 *                            on Keycloak's own pages, so a token of either is the same person with the same audience
 * @param passwordGrantClients further clients whose tokens stand for a person, but which use the password grant
 *                            (dev/test only: {@code platform-cli}); empty by default, so production refuses them
 * @param isvClientPrefix     client ids of ISV applications start with this
 * @param walletClientPrefix  client ids of wallets start with this
 * @param ciKeyClientPrefix   client ids of workspaces' CI keys start with this
 * @param adminClientId       confidential client whose service account the admin client uses
 * @param adminClientSecret   its secret: no default, the dev and test profiles set the sandbox realm's; without
 *                            it the application refuses to start
 */
@Validated
@ConfigurationProperties("platform.keycloak")
public record KeycloakProperties(
        @NotBlank @DefaultValue("http://127.0.0.1:8180") String url,
        @NotBlank @DefaultValue("platform") String realm,
        @NotBlank @DefaultValue("platform-api") String audience,
        @DefaultValue({"platform-console", "platform-cli-device"}) Set<String> consoleClients,
        @DefaultValue({}) Set<String> passwordGrantClients,
        @NotBlank @DefaultValue("isv-") String isvClientPrefix,
        @NotBlank @DefaultValue("wallet-") String walletClientPrefix,
        @NotBlank @DefaultValue("ci-") String ciKeyClientPrefix,
        @NotBlank @DefaultValue("platform-backend") String adminClientId,
        @NotBlank(message = MISSING_SECRET) String adminClientSecret) {

    static final String MISSING_SECRET = "platform.keycloak.admin-client-secret (env PLATFORM_KEYCLOAK_ADMINCLIENTSECRET) "
            + "must be set outside the dev and test profiles: the secret of the Keycloak client named by "
            + "platform.keycloak.admin-client-id (Keycloak admin console → Clients → platform-backend → Credentials); "
            + "there is deliberately no default";

    /** Clients whose tokens stand for a logged-in person. */
    public boolean isPersonClient(String clientId) {
        return consoleClients.contains(clientId) || passwordGrantClients.contains(clientId);
    }

    public String issuer() {
        return url + "/realms/" + realm;
    }

    public URI jwkSetUri() {
        return URI.create(issuer() + "/protocol/openid-connect/certs");
    }
}
