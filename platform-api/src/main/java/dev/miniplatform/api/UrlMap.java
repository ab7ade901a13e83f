package dev.miniplatform.api;

import dev.miniplatform.auth.config.OperatorAccess;
import dev.miniplatform.auth.config.RouteRules;
import dev.miniplatform.auth.config.WalletAccess;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;

/**
 * Who may call which path of this application; auth's security chain applies these rules in order and denies
 * every path they do not name. Order is cost: each matcher tried before the one that fits is paid by that request,
 * so the map comes in two parts, and rules contributed elsewhere (the benchmark's baseline in the dev jar) are
 * ordered {@link #BETWEEN} them, where they cost the wallet read nothing.
 */
@Configuration(proxyBeanMethods = false)
public class UrlMap {

    /** The wallet API and the operational endpoints: first. */
    static final int FIRST = 0;
    /** Where other code's rules go: after the wallet API's, before the console's and the API's. */
    public static final int BETWEEN = 50;
    /** The console, the API documentation, the console API and the ISV API. */
    static final int LAST = 100;

    @Bean
    @Order(FIRST)
    RouteRules walletAndOperations(@Value("${management.server.port:-1}") int managementPort) {
        return exchanges -> exchanges
                // only a wallet's own client with the metadata scope reads the wallet API, and a wallet token reads
                // nothing else; first, as the hottest path (no other rule overlaps /wallet/**)
                .pathMatchers("/wallet/**").access(WalletAccess.WALLET_WITH_METADATA_SCOPE)
                // anyone gets {"status"}; details only for operators (management.endpoint.health.roles)
                .pathMatchers("/actuator/health/**", "/actuator/health").permitAll()
                .pathMatchers("/actuator/prometheus").access(new OperatorAccess(managementPort));
    }

    @Bean
    @Order(LAST)
    RouteRules consoleAndApi() {
        return exchanges -> exchanges
                .pathMatchers("/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**", "/webjars/**").permitAll()
                .pathMatchers(HttpMethod.GET, "/", "/index.html", "/console/**").permitAll()
                .pathMatchers("/api/v1/admin/**").hasRole("platform-admin")
                .pathMatchers("/api/v1/reviews/**", "/api/v1/reviews").hasRole("platform-reviewer")
                .pathMatchers("/api/**").access(WalletAccess.NOT_A_WALLET);
    }
}
