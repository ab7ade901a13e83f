package dev.miniplatform.api;

import dev.miniplatform.auth.config.KeycloakProperties;
import dev.miniplatform.auth.problem.Problem;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.OAuthFlow;
import io.swagger.v3.oas.models.security.OAuthFlows;
import io.swagger.v3.oas.models.security.Scopes;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the OpenAPI document says beyond the controllers' annotations, so that a client generator (the CLI, the
 * wallet SDK, anyone's) can trust it: who may call each operation (the same split as {@link UrlMap}: a person's or
 * an ISV's bearer token on {@code /api}, a wallet client's token with {@code metadata:read} on {@code /wallet}, none
 * on the few public paths) and the RFC 9457 problem answers every operation can give.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

    /** People (console users) and ISV applications: a Keycloak access token. */
    static final String BEARER = "bearerJwt";
    /** Wallets (and CI keys): a confidential Keycloak client's token from the client credentials grant. */
    static final String CLIENT_CREDENTIALS = "clientCredentials";
    static final String WALLET_SCOPE = "metadata:read";
    private static final String PROBLEM = "Problem";
    private static final String PROBLEM_JSON = "application/problem+json";

    @Bean
    OpenApiCustomizer securityAndProblems(KeycloakProperties keycloak) {
        return api -> {
            api.info(new Info()
                    .title("Mini Program Platform API")
                    .version("v1")
                    .description("Workspaces, members, mini programs, review and release, ISV delegation, templates "
                            + "and batch jobs (/api/v1, bearer tokens of people and ISVs), and the wallet API "
                            + "(/wallet/v1, wallet clients). Every refusal is an RFC 9457 problem.")
                    .license(new License().name("Proprietary").identifier("LicenseRef-Proprietary")));
            Components components = api.getComponents() == null ? new Components() : api.getComponents();
            api.components(components);
            components.addSecuritySchemes(BEARER, new SecurityScheme()
                    .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                    .description("An access token of realm '" + keycloak.realm() + "': a console user's "
                            + "(authorization code + PKCE) or an ISV application's on behalf of a merchant"));
            components.addSecuritySchemes(CLIENT_CREDENTIALS, new SecurityScheme()
                    .type(SecurityScheme.Type.OAUTH2)
                    .description("A wallet's confidential client (client credentials grant)")
                    .flows(new OAuthFlows().clientCredentials(new OAuthFlow()
                            .tokenUrl(keycloak.issuer() + "/protocol/openid-connect/token")
                            .scopes(new Scopes().addString(WALLET_SCOPE, "read released mini program metadata")))));
            ModelConverters.getInstance().readAll(Problem.class).forEach(components::addSchemas);
            if (api.getPaths() != null) {
                api.getPaths().forEach(ApiDocumentation::describe);
                stableOperationIds(api);
            }
        };
    }

    private static void describe(String path, PathItem item) {
        item.readOperationsMap().forEach((method, operation) -> {
            Audience audience = Audience.of(path);
            operation.setSecurity(audience.security());
            ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
            operation.setResponses(responses);
            boolean takesInput = operation.getRequestBody() != null
                    || (operation.getParameters() != null && !operation.getParameters().isEmpty());
            if (takesInput) {
                problem(responses, "400", "Bad input: every failing field is named in errors[]");
            }
            if (audience != Audience.PUBLIC) {
                problem(responses, "401", "No valid access token");
                problem(responses, "403", "The token may not call this path (a wallet's on /api, a person's on /wallet, "
                        + "or a role this path needs)");
            }
            if (path.contains("{")) {
                problem(responses, "404", "Unknown, or not this caller's to see: other tenants' ids are never told apart");
            }
            if (method == PathItem.HttpMethod.POST || method == PathItem.HttpMethod.PUT
                    || method == PathItem.HttpMethod.PATCH || method == PathItem.HttpMethod.DELETE) {
                problem(responses, "409", "The current state does not allow it, or a quota is used up");
            }
            if (audience != Audience.PUBLIC) {
                problem(responses, "429", "Rate limit: retry after the Retry-After header's seconds");
            }
        });
    }

    /**
     * springdoc names an operation after its Java method and numbers the clashes ({@code list_5}) in the order it
     * meets them, so adding one endpoint renames others and breaks every generated client. An id whose method name
     * is used more than once becomes one derived from the HTTP method and the path instead, which never moves:
     * {@code GET /api/v1/tenants/{tenantId}/members} is {@code getTenantsByTenantIdMembers}.
     */
    private static void stableOperationIds(OpenAPI api) {
        Map<String, Long> uses = new HashMap<>();
        api.getPaths().values().forEach(item -> item.readOperations().forEach(operation ->
                uses.merge(base(operation.getOperationId()), 1L, Long::sum)));
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            if (operation.getOperationId() == null || uses.get(base(operation.getOperationId())) > 1) {
                operation.setOperationId(derivedId(method, path));
            }
        }));
    }

    private static String base(String operationId) {
        return operationId == null ? "" : operationId.replaceFirst("_\\d+$", "");
    }

    static String derivedId(PathItem.HttpMethod method, String path) {
        StringBuilder id = new StringBuilder(method.name().toLowerCase(Locale.ROOT));
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals("api") || segment.matches("v\\d+")) {
                continue;
            }
            boolean parameter = segment.startsWith("{");
            if (parameter) {
                id.append("By");
            }
            for (String word : segment.replaceAll("[{}]", "").split("[^A-Za-z0-9]+")) {
                if (!word.isEmpty()) {
                    id.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
                }
            }
        }
        return id.toString();
    }

    private static void problem(ApiResponses responses, String status, String description) {
        if (responses.containsKey(status)) {
            return;
        }
        responses.addApiResponse(status, new ApiResponse().description(description).content(new Content()
                .addMediaType(PROBLEM_JSON, new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)))));
    }

    /** Who calls a path, as {@link UrlMap} decides it. */
    enum Audience {
        WALLET, PERSON_OR_ISV, PUBLIC;

        static Audience of(String path) {
            if (path.startsWith("/wallet/")) {
                return WALLET;
            }
            return path.startsWith("/api/") ? PERSON_OR_ISV : PUBLIC;
        }

        List<SecurityRequirement> security() {
            return switch (this) {
                case WALLET -> List.of(new SecurityRequirement().addList(CLIENT_CREDENTIALS, WALLET_SCOPE));
                case PERSON_OR_ISV -> List.of(new SecurityRequirement().addList(BEARER));
                case PUBLIC -> List.of();
            };
        }
    }
}
