package dev.miniplatform.api.access;

import dev.miniplatform.auth.principal.PlatformPrincipal.IsvApplication;
import dev.miniplatform.model.isv.DelegationScope;
import reactor.core.publisher.Mono;

import java.util.UUID;

/**
 * Whether an ISV application's token is honoured on a merchant's workspace for one operation. {@link TenantScope}
 * asks; the isv module, which owns authorizations and their cache, answers. Declared here so that access knows no
 * ISV internals and isv can build on access without a cycle.
 */
public interface DelegatedAccess {

    /**
     * @return who acts for the merchant and with which effective scopes (granted ∩ in the token), or an error:
     * {@code NotFoundException} (as if the workspace did not exist) or 403 insufficient_scope
     */
    Mono<Access.Delegation> authorize(UUID merchantId, IsvApplication isv, DelegationScope needed);
}
