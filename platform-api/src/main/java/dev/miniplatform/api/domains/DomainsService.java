package dev.miniplatform.api.domains;

import dev.miniplatform.api.access.Access;
import dev.miniplatform.api.access.TenantScope;
import dev.miniplatform.api.audit.AuditLog;
import dev.miniplatform.api.miniprogram.MiniProgramLookup;
import dev.miniplatform.model.domains.ServerDomains;
import dev.miniplatform.model.isv.DelegationScope;
import dev.miniplatform.model.validation.ConflictException;
import dev.miniplatform.model.validation.InvalidInputException;
import dev.miniplatform.model.validation.Validation;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and replaces a mini program's server domains. Both enter through {@link TenantScope} and
 * {@link MiniProgramLookup}, so who may see the mini program may read its domains, who may change it may change them
 * (a developer's unassigned mini programs do not exist for them), and everything else is 404. A replace is one
 * transaction: the entries are checked before anything is written, the row is locked while the revision is compared,
 * and the audit entry (lists before and after) commits with it.
 */
@Service
class DomainsService {

    private static final String TARGET = "mini-program";

    private final TenantScope scope;
    private final MiniProgramLookup lookup;
    private final DomainsStore store;
    private final AuditLog audit;
    private final Clock clock;

    DomainsService(TenantScope scope, MiniProgramLookup lookup, DomainsStore store, AuditLog audit, Clock clock) {
        this.scope = scope;
        this.lookup = lookup;
        this.store = store;
        this.audit = audit;
        this.clock = clock;
    }

    Mono<DomainsView> get(String tenantId, String appId) {
        return scope.run(tenantId, DelegationScope.MINIPROGRAM_READ, access -> lookup.visible(access, appId)
                .then(store.find(appId, false))
                .map(saved -> saved.view(appId)));
    }

    Mono<DomainsView> replace(String tenantId, String appId, DomainsRequest request) {
        return scope.run(tenantId, DelegationScope.MINIPROGRAM_WRITE, access -> lookup.visible(access, appId)
                .then(Mono.fromCallable(() -> parsed(request)))
                .flatMap(domains -> store.find(appId, true)
                        .flatMap(current -> save(access, appId, current, domains, request.revision()))));
    }

    private static ServerDomains parsed(DomainsRequest request) {
        if (request == null) {
            throw InvalidInputException.of("request", "required",
                    "send all five lists (request, upload, download, socket, webView) and the revision");
        }
        Validation validation = new Validation();
        ServerDomains domains = validation.attempt(() -> ServerDomains.parse(request.lists()));
        if (request.revision() == null) {
            validation.reject("revision", "required",
                    "send the revision you last read (0 before the first save), to avoid overwriting someone else's change");
        }
        validation.throwIfInvalid();
        return domains;
    }

    private Mono<DomainsView> save(Access access, String appId, DomainsStore.Saved current, ServerDomains domains,
                                   long revision) {
        if (revision != current.revision()) {
            return Mono.error(new ConflictException("The server domains were changed since revision %d; they are now at %d."
                    .formatted(revision, current.revision())));
        }
        return store.write(access.tenantId(), appId, domains, current.revision(), access.actingUserId(), clock.instant())
                .switchIfEmpty(Mono.error(() -> new ConflictException(
                        "The server domains were saved by someone else at the same moment; read them again.")))
                .flatMap(saved -> audit.record(access.tenantId(), access.actor(), "mini-program.domains-changed", TARGET,
                                appId, summary(current), summary(saved))
                        .thenReturn(saved.view(appId)));
    }

    private static Map<String, Object> summary(DomainsStore.Saved saved) {
        Map<String, Object> summary = new LinkedHashMap<>(saved.domains().byField());
        summary.put("revision", saved.revision());
        return summary;
    }
}
