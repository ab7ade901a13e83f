package dev.miniplatform.auth.principal;

import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import reactor.core.publisher.Mono;

/**
 * The caller of the current request, read from the Reactor Context (never a ThreadLocal).
 */
public final class CurrentPrincipal {

    private CurrentPrincipal() {
    }

    public static Mono<PlatformPrincipal> get() {
        return ReactiveSecurityContextHolder.getContext()
                .map(SecurityContext::getAuthentication)
                .ofType(PlatformAuthentication.class)
                .map(PlatformAuthentication::platformPrincipal);
    }

    /** The console user calling, or empty when the caller is an ISV application or a wallet. */
    public static Mono<PlatformPrincipal.ConsoleUser> consoleUser() {
        return get().ofType(PlatformPrincipal.ConsoleUser.class);
    }
}
