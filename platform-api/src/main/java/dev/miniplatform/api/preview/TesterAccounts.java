package dev.miniplatform.api.preview;

import dev.miniplatform.api.access.Access;
import dev.miniplatform.api.access.TenantScope;
import dev.miniplatform.api.audit.AuditLog;
import dev.miniplatform.api.walletregistry.WalletService;
import dev.miniplatform.api.walletregistry.WalletView;
import dev.miniplatform.model.validation.Validation;
import dev.miniplatform.model.wallet.WalletUserId;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A member's tester accounts: the wallet user ids, per wallet, whose wallet may open this workspace's previews. A
 * member manages only their own (console users only, never an ISV); owners and masters may list everyone's. The set
 * is replaced as a whole, which is what the console's form sends and what makes the audit entry say before and after.
 */
@Service
class TesterAccounts {

    record Account(UUID wallet, String userId) {
    }

    record Bound(UUID wallet, String userId, Instant createdAt) {
    }

    record Accounts(List<Bound> accounts) {
    }

    /** As sent: ids as text, so a malformed one is reported under its field like every other mistake. */
    record Request(List<AccountRequest> accounts) {
    }

    record AccountRequest(String wallet, String userId) {
    }

    /** One member's account, as an owner or master sees the workspace's testers. */
    record MemberAccount(String member, String memberName, UUID wallet, String userId, Instant createdAt) {
    }

    private static final String MINE = """
            select wallet_id, wallet_user_id, created_at from tester_accounts where user_id = $1
            order by created_at, wallet_id, wallet_user_id""";
    private static final String ALL = """
            select a.user_id, m.display_name, a.wallet_id, a.wallet_user_id, a.created_at
            from tester_accounts a join memberships m on m.tenant_id = a.tenant_id and m.user_id = a.user_id
            order by a.user_id, a.created_at, a.wallet_id, a.wallet_user_id""";
    /** Parallel replacements by one member take turns, so the last one wins whole. */
    private static final String LOCK_MEMBER = "select id from memberships where tenant_id = $1 and user_id = $2 for update";

    private final TenantScope scope;
    private final DatabaseClient database;
    private final WalletService wallets;
    private final AuditLog audit;
    private final PreviewProperties properties;
    private final Clock clock;

    TesterAccounts(TenantScope scope, DatabaseClient database, WalletService wallets, AuditLog audit,
                   PreviewProperties properties, Clock clock) {
        this.scope = scope;
        this.database = database;
        this.wallets = wallets;
        this.audit = audit;
        this.properties = properties;
        this.clock = clock;
    }

    Mono<Accounts> mine(String tenantId) {
        return scope.run(tenantId, access -> own(access.user().userId()));
    }

    Mono<Accounts> replace(String tenantId, Request request) {
        return validated(request)
                .flatMap(accounts -> scope.run(tenantId, access -> replace(access, accounts)));
    }

    Mono<Void> clear(String tenantId) {
        return scope.run(tenantId, access -> replace(access, List.of()).then());
    }

    Mono<List<MemberAccount>> workspace(String tenantId) {
        return scope.run(tenantId, access -> Mono.fromCallable(access::requireManager)
                .thenMany(database.sql(ALL)
                        .map(TesterAccounts::memberAccount)
                        .all())
                .collectList());
    }

    private Mono<Accounts> replace(Access access, List<Account> accounts) {
        String me = access.user().userId();
        Instant now = clock.instant();
        return database.sql(LOCK_MEMBER)
                .bind(0, access.tenantId())
                .bind(1, me)
                .fetch()
                .all()
                .then(own(me))
                .flatMap(before -> database.sql("delete from tester_accounts where user_id = $1")
                        .bind(0, me)
                        .fetch()
                        .rowsUpdated()
                        .thenMany(Flux.fromIterable(accounts))
                        .concatMap(account -> insert(access.tenantId(), me, account, kept(before, account, now)))
                        .then(own(me))
                        .flatMap(after -> audit.record(access.tenantId(), access.actor(), "testers.replaced",
                                        "member", me, summary(before), summary(after))
                                .thenReturn(after)));
    }

    /** An account bound before keeps its date, so "bound since" means what it says. */
    private static Instant kept(Accounts before, Account account, Instant now) {
        return before.accounts().stream()
                .filter(bound -> bound.wallet().equals(account.wallet()) && bound.userId().equals(account.userId()))
                .map(Bound::createdAt)
                .findFirst()
                .orElse(now);
    }

    private Mono<Long> insert(UUID tenantId, String me, Account account, Instant createdAt) {
        return database.sql("""
                        insert into tester_accounts (tenant_id, user_id, wallet_id, wallet_user_id, created_at)
                        values ($1, $2, $3, $4, $5)""")
                .bind(0, tenantId)
                .bind(1, me)
                .bind(2, account.wallet())
                .bind(3, account.userId())
                .bind(4, createdAt)
                .fetch()
                .rowsUpdated();
    }

    private Mono<Accounts> own(String me) {
        return database.sql(MINE)
                .bind(0, me)
                .map(row -> new Bound(row.get("wallet_id", UUID.class), row.get("wallet_user_id", String.class),
                        row.get("created_at", Instant.class)))
                .all()
                .collectList()
                .map(Accounts::new);
    }

    private static Map<String, List<String>> summary(Accounts accounts) {
        return accounts.accounts().stream()
                .collect(Collectors.groupingBy(bound -> bound.wallet().toString(), java.util.TreeMap::new,
                        Collectors.mapping(Bound::userId, Collectors.toList())));
    }

    private static MemberAccount memberAccount(Readable row) {
        return new MemberAccount(row.get("user_id", String.class), row.get("display_name", String.class),
                row.get("wallet_id", UUID.class), row.get("wallet_user_id", String.class),
                row.get("created_at", Instant.class));
    }

    /**
     * Every failing field in one answer: the shape of each entry, duplicates, the count per wallet, and (for the
     * wallet ids that parse) whether the wallet is registered.
     */
    private Mono<List<Account>> validated(Request request) {
        Validation validation = new Validation();
        List<Account> accounts = new ArrayList<>();
        Map<Integer, UUID> walletAt = new HashMap<>();
        int max = properties.maxTestersPerWallet();
        if (request == null || request.accounts() == null) {
            validation.reject("accounts", "required", "send the list of tester accounts (empty to unbind all)");
        } else if (request.accounts().size() > max * 20) {
            validation.reject("accounts", "size", "at most %d accounts in one request (%d per wallet)".formatted(max * 20, max));
        } else {
            Set<Account> seen = new HashSet<>();
            Map<UUID, Integer> perWallet = new HashMap<>();
            for (int i = 0; i < request.accounts().size(); i++) {
                AccountRequest sent = request.accounts().get(i);
                String at = "accounts[" + i + "]";
                if (sent == null) {
                    validation.reject(at, "required", "an object with wallet and userId");
                    continue;
                }
                UUID wallet = TenantScope.parse(sent.wallet()).orElse(null);
                if (wallet == null) {
                    validation.reject(at + ".wallet", sent.wallet() == null ? "required" : "format",
                            "the id of a registered wallet");
                }
                WalletUserId userId = validation.attempt(() -> WalletUserId.of(at + ".userId", sent.userId()));
                if (wallet == null || userId == null) {
                    continue;
                }
                Account account = new Account(wallet, userId.value());
                walletAt.put(i, account.wallet());
                if (!seen.add(account)) {
                    validation.reject(at, "duplicate", "this wallet user id is listed twice for this wallet");
                    continue;
                }
                if (perWallet.merge(account.wallet(), 1, Integer::sum) == max + 1) {
                    validation.reject(at, "too-many", "at most %d tester accounts per wallet".formatted(max));
                }
                accounts.add(account);
            }
        }
        return registered(new LinkedHashSet<>(walletAt.values()))
                .map(known -> {
                    walletAt.forEach((i, wallet) -> {
                        if (!known.contains(wallet)) {
                            validation.reject("accounts[" + i + "].wallet", "unknown", "no wallet is registered with this id");
                        }
                    });
                    validation.throwIfInvalid();
                    return List.copyOf(accounts);
                });
    }

    private Mono<Set<UUID>> registered(Set<UUID> walletIds) {
        return Flux.fromIterable(walletIds)
                .concatMap(wallets::find)
                .map(WalletView::id)
                .collect(Collectors.toSet());
    }
}
