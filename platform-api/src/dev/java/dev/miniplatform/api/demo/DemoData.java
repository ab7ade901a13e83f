package dev.miniplatform.api.demo;

import dev.miniplatform.api.workspace.CreateTenantRequest;
import dev.miniplatform.api.workspace.TenantService;
import dev.miniplatform.api.walletregistry.WalletRequest;
import dev.miniplatform.api.walletregistry.WalletService;
import dev.miniplatform.api.walletregistry.WalletView;
import dev.miniplatform.auth.config.KeycloakProperties;
import dev.miniplatform.auth.keycloak.KeycloakAdmin;
import dev.miniplatform.auth.principal.PlatformPrincipal.ConsoleUser;
import jakarta.ws.rs.core.Response;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Seeds the dev run with people to log in as and their workspaces, idempotently, and prints how to use them.
 * Runs once at start-up on the main thread, where waiting for the result is fine. In a cluster of dev nodes
 * sharing one database (bin/cluster) only the first seeds: the others set {@code platform.demo-data.enabled=false}.
 */
@Component
@Profile("dev")
@ConditionalOnProperty(name = "platform.demo-data.enabled", havingValue = "true", matchIfMissing = true)
class DemoData implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);

    record DemoUser(String username, String password, String email, String realmRole, String tenantKind, String tenantName) {
    }

    static final List<DemoUser> USERS = List.of(
            new DemoUser("merchant-owner", "demo-merchant", "owner@tea-house.example", null, "MERCHANT", "Hangzhou Tea House"),
            new DemoUser("isv-owner", "demo-isv", "owner@lakeside-software.example", null, "ISV", "Lakeside Software"),
            new DemoUser("li-lei", "demo-developer", "li.lei@example.com", null, null, null),
            new DemoUser("reviewer", "demo-reviewer", "reviewer@platform.example", "platform-reviewer", null, null),
            new DemoUser("platform-admin", "demo-admin", "admin@platform.example", "platform-admin", null, null),
            new DemoUser("operator", "demo-operator", "operator@platform.example", "platform-operator", null, null));

    private final KeycloakAdmin keycloak;
    private final TenantService tenants;
    private final KeycloakProperties keycloakProperties;
    private final WebServerApplicationContext context;
    private final WalletService wallets;

    DemoData(KeycloakAdmin keycloak, TenantService tenants, KeycloakProperties keycloakProperties,
             WebServerApplicationContext context, WalletService wallets) {
        this.wallets = wallets;
        this.keycloak = keycloak;
        this.tenants = tenants;
        this.keycloakProperties = keycloakProperties;
        this.context = context;
    }

    /** What the ISV demo got: its OAuth client (secret shown once, as the API shows it) and its approved service. */
    record SeededIsv(String clientId, String clientSecret, String redirectUri, String serviceId, String serviceName) {
    }

    @Override
    public void run(ApplicationArguments args) {
        WalletView wallet = Flux.fromIterable(USERS)
                .concatMap(this::seed)
                .then(wallets.register(new WalletRequest("Demo Wallet", true, "demowallet"), "platform:demo-data"))
                .block(Duration.ofMinutes(1));
        SeededIsv isv = new DemoIsv(api(), keycloakProperties.issuer()).seed()
                .block(Duration.ofMinutes(1));
        log.info(banner(wallet, isv));
    }

    private String api() {
        return "http://127.0.0.1:" + context.getWebServer().getPort();
    }

    private Mono<Void> seed(DemoUser demo) {
        return keycloak.call(realm -> ensureUser(realm, demo))
                .flatMap(userId -> ensureTenant(demo, userId));
    }

    private static String ensureUser(RealmResource realm, DemoUser demo) {
        List<UserRepresentation> existing = realm.users().searchByUsername(demo.username(), true);
        if (!existing.isEmpty()) {
            return existing.getFirst().getId();
        }
        UserRepresentation user = new UserRepresentation();
        user.setUsername(demo.username());
        user.setEmail(demo.email());
        user.setEmailVerified(true);
        user.setFirstName(demo.username());
        user.setLastName("Demo");
        user.setEnabled(true);
        CredentialRepresentation password = new CredentialRepresentation();
        password.setType(CredentialRepresentation.PASSWORD);
        password.setValue(demo.password());
        password.setTemporary(false);
        user.setCredentials(List.of(password));
        String id;
        try (Response created = realm.users().create(user)) {
            id = CreatedResponseUtil.getCreatedId(created);
        }
        if (demo.realmRole() != null) {
            realm.users().get(id).roles().realmLevel().add(List.of(realm.roles().get(demo.realmRole()).toRepresentation()));
        }
        return id;
    }

    private Mono<Void> ensureTenant(DemoUser demo, String userId) {
        if (demo.tenantKind() == null) {
            return Mono.empty();
        }
        ConsoleUser user = new ConsoleUser(userId, demo.username(), demo.email(), Set.of());
        return tenants.listFor(user)
                .collectList()
                .filter(List::isEmpty)
                .flatMap(none -> tenants.create(user, new CreateTenantRequest(demo.tenantKind(), demo.tenantName())))
                .then();
    }

    private static String describe(DemoUser user) {
        if (user.tenantName() != null) {
            return "owner of " + user.tenantName();
        }
        return user.realmRole() != null ? user.realmRole() : "no workspace yet: invite " + user.email();
    }

    private String banner(WalletView wallet, SeededIsv isv) {
        String api = api();
        StringBuilder text = new StringBuilder("\n\n=== Mini Program Platform is running ===\n")
                .append("  Console        ").append(api).append("/console/  (log in with a demo login below, or Register)\n")
                .append("  API            ").append(api).append('\n')
                .append("  Health         ").append(api).append("/actuator/health\n")
                .append("  Swagger UI     ").append(api).append("/swagger-ui.html\n")
                .append("  Keycloak       ").append(keycloakProperties.url()).append("/admin  (admin / admin, dev only)\n")
                .append("  Realm          ").append(keycloakProperties.issuer()).append('\n')
                .append("  Demo logins (realm 'platform'):\n");
        USERS.forEach(user -> text.append("    %-15s / %-14s %s%n".formatted(user.username(), user.password(),
                describe(user))));
        text.append("  Demo wallet    id ").append(wallet.id()).append(", client ").append(wallet.clientId())
                .append(" / ").append(wallet.clientSecret()).append(" (client credentials, scope metadata:read)\n");
        text.append("  Demo ISV       Lakeside Software's OAuth client ").append(isv.clientId()).append(" / ")
                .append(isv.clientSecret()).append(", redirect URI ").append(isv.redirectUri()).append('\n')
                .append("                 approved service '").append(isv.serviceName()).append("' id ").append(isv.serviceId())
                .append(" (merchant-owner authorizes it: docs/isv.md)\n");
        text.append("  Get a token:  curl -s -d grant_type=password -d client_id=platform-cli ")
                .append("-d username=merchant-owner -d password=demo-merchant ")
                .append(keycloakProperties.issuer()).append("/protocol/openid-connect/token\n");
        return text.toString();
    }
}
