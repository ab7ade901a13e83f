package dev.miniplatform.auth.config;

import dev.miniplatform.auth.keycloak.KeycloakAdmin;
import dev.miniplatform.auth.principal.AccountStandings;
import dev.miniplatform.auth.principal.PlatformPrincipalConverter;
import dev.miniplatform.auth.problem.Problem;
import dev.miniplatform.auth.problem.ProblemType;
import dev.miniplatform.auth.problem.ProblemWriter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.util.List;

/**
 * The API is an OAuth2 resource server for Keycloak. Every token is checked for signature (realm keys fetched
 * lazily and non-blockingly from the JWK set, never by discovery at start-up), issuer, audience and expiry.
 * Which path needs what is the application's to say ({@link RouteRules}); a path no rule names is denied.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
@EnableConfigurationProperties({KeycloakProperties.class, TokenCacheProperties.class, StandingProperties.class})
public class SecurityConfiguration {

    @Bean
    SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, ReactiveJwtDecoder jwtDecoder,
                                                  PlatformPrincipalConverter converter, ProblemWriter problems,
                                                  ObjectProvider<CallerFilter> callerFilters,
                                                  ObjectProvider<RouteRules> routes) {
        ServerAuthenticationEntryPoint unauthenticated = (exchange, e) -> {
            BearerChallenge.unauthenticated(exchange, e);
            return problems.write(exchange,
                    Problem.of(ProblemType.UNAUTHENTICATED, "A valid bearer token from the platform's Keycloak realm is required."));
        };
        ServerAccessDeniedHandler denied = (exchange, e) -> {
            BearerChallenge.insufficientScope(exchange);
            return problems.write(exchange, Problem.of(ProblemType.FORBIDDEN, "The token does not grant this operation."));
        };
        // after authentication, before authorization: a rate limit sees the caller and meters requests that would be
        // answered 401 (no token) or 403 as well
        callerFilters.orderedStream()
                .forEach(filter -> http.addFilterBefore(filter::filter, SecurityWebFiltersOrder.AUTHORIZATION));
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                .authorizeExchange(exchanges -> {
                    routes.orderedStream().forEach(rules -> rules.authorize(exchanges));
                    exchanges.anyExchange().denyAll();
                })
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .bearerTokenConverter(new BearerTokenConverter())
                        .jwt(jwt -> jwt
                                .jwtDecoder(jwtDecoder)
                                .jwtAuthenticationConverter(converter))
                        .authenticationEntryPoint(unauthenticated)
                        .accessDeniedHandler(denied))
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint(unauthenticated)
                        .accessDeniedHandler(denied))
                .build();
    }

    /**
     * Spring Security's strict firewall with its header and parameter rules as loops instead of regular
     * expressions ({@link FirewallCharacters}): the same answers, a fraction of the cost on every header read.
     */
    @Bean
    ServerWebExchangeFirewall exchangeFirewall() {
        StrictServerWebExchangeFirewall firewall = new StrictServerWebExchangeFirewall();
        firewall.setAllowedHeaderNames(FirewallCharacters::isAssignedAndNotControl);
        firewall.setAllowedHeaderValues(FirewallCharacters::isHeaderValue);
        firewall.setAllowedParameterNames(FirewallCharacters::isAssignedAndNotControl);
        return firewall;
    }

    /** Requests the URL firewall refuses (encoded slash, {@code ..}, NUL, …) get a problem body, not an empty 400. */
    @Bean
    ServerExchangeRejectedHandler exchangeRejectedHandler(ProblemWriter problems) {
        return (exchange, rejected) -> problems.write(exchange, Problem.of(ProblemType.MALFORMED_REQUEST,
                "The request was refused: its URL, method or a header contains something this API never accepts "
                        + "(an encoded slash, dot segment, NUL, control character or an empty path segment)."));
    }

    @Bean
    ReactiveJwtDecoder jwtDecoder(KeycloakProperties keycloak, TokenCacheProperties tokenCache) {
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSetUri(keycloak.jwkSetUri().toString()).build();
        OAuth2TokenValidator<Jwt> audience = new JwtClaimValidator<List<String>>("aud",
                aud -> aud != null && aud.contains(keycloak.audience()));
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(keycloak.issuer()), audience));
        return tokenCache.maxSize() == 0 ? decoder
                : new VerifiedTokenCache(decoder, tokenCache.maxSize(), Clock.systemUTC());
    }

    @Bean
    AccountStandings accountStandings(KeycloakAdmin keycloak, StandingProperties standing, MeterRegistry meters) {
        return new AccountStandings(keycloak, standing, meters);
    }

    @Bean
    PlatformPrincipalConverter platformPrincipalConverter(KeycloakProperties keycloak, AccountStandings standings) {
        return new PlatformPrincipalConverter(keycloak, standings);
    }

    @Bean
    ProblemWriter problemWriter(JsonMapper jsonMapper) {
        return new ProblemWriter(jsonMapper);
    }
}
