package dev.miniplatform.auth.principal;

import com.github.benmanes.caffeine.cache.AsyncCacheLoader;
import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.miniplatform.auth.config.StandingProperties;
import dev.miniplatform.auth.keycloak.AccountState;
import dev.miniplatform.auth.keycloak.KeycloakAdmin;
import dev.miniplatform.auth.principal.Standing.Token;
import dev.miniplatform.auth.principal.Standing.Verdict;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Refuses a person's token once Keycloak no longer stands behind it: the account was disabled or deleted, an admin
 * signed the user (or the session named by {@code sid}) out, or a not-before of the user or the realm came after the
 * token was issued. Keycloak checks all of this when it issues or refreshes a token, but an access token it issued
 * stays valid on its own until it expires, so without this a cut-off person kept working for minutes.
 *
 * <p>No request asks Keycloak itself. Each node keeps, per account and for the realm, Keycloak's newest answer
 * ({@link Standing}) from the admin API, and judges every token against it and against the token's own {@code iat}
 * (a token is Keycloak's word that the account stood well when it was issued). Whichever is newer decides, and
 * nothing older than {@code max-age} admits anyone, so a cut-off account is refused on every node within
 * {@code max-age}. A request that finds its evidence {@code refresh-after} old renews it in the background; only a
 * request whose evidence is older than {@code max-age} (an account idle on this node) waits for Keycloak, and
 * concurrent requests of one account share one lookup (the cache holds the lookup's future).
 *
 * <p>When Keycloak does not answer (down, slow, circuit breaker open) this fails open, with a bound: a request waits
 * at most {@code lookup-timeout}, then its token decides as it did before this check existed — it is genuine and at
 * most one access-token lifespan old, and Keycloak refuses to issue new ones to a disabled or signed-out account. An
 * answer that already refused a token keeps refusing it. Failing closed would make every console request depend on
 * Keycloak's admin API, turning its restart into an outage of the whole console.
 */
public class AccountStandings {

    private static final Logger log = LoggerFactory.getLogger(AccountStandings.class);

    /** The key of the realm's own standing (its not-before); Keycloak user ids are UUIDs, never this. */
    static final String REALM = "realm";
    /** After Keycloak failed to answer, requests neither wait for it nor ask again for this long. */
    static final Duration QUIET_AFTER_FAILURE = Duration.ofSeconds(1);
    private static final Duration WARN_EVERY = Duration.ofMinutes(1);

    /** What Keycloak is asked; {@link KeycloakAdmin} in production. */
    record Lookups(Function<String, Mono<AccountState>> account, Supplier<Mono<Instant>> realmNotBefore) {
    }

    /** What this node knows under one key: Keycloak's newest answer (null before the first) and its latest failure. */
    private record Known(Standing standing, Instant failedAt) {

        static final Known NOTHING = new Known(null, null);

        Verdict judge(Token token, Instant now, Duration maxAge) {
            return standing == null ? Standing.judgeTokenAlone(token, now, maxAge) : standing.judge(token, now, maxAge);
        }

        boolean isDue(Token token, Instant now, Duration refreshAfter) {
            return standing == null || standing.isDue(token, now, refreshAfter);
        }

        boolean failedSince(Instant instant) {
            return failedAt != null && failedAt.isAfter(instant);
        }

        Known failed(Instant at) {
            return new Known(standing, at);
        }
    }

    private final Lookups lookups;
    private final boolean enabled;
    private final Duration maxAge;
    private final Duration refreshAfter;
    private final Duration lookupTimeout;
    private final Clock clock;
    private final AsyncLoadingCache<String, Known> known;
    /** When each lookup under way was sent, by key. */
    private final Map<String, Instant> asking = new ConcurrentHashMap<>();
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY.toNanos());
    private final Counter answered;
    private final Counter unanswered;
    private final Counter refusals;
    private final Counter failedOpen;

    public AccountStandings(KeycloakAdmin keycloak, StandingProperties properties, MeterRegistry meters) {
        this(new Lookups(keycloak::account, keycloak::realmNotBefore), properties, Clock.systemUTC(), meters);
    }

    AccountStandings(Lookups lookups, StandingProperties properties, Clock clock, MeterRegistry meters) {
        this.lookups = lookups;
        this.answered = lookups(meters, "answered");
        this.unanswered = lookups(meters, "failed");
        this.refusals = Counter.builder("platform.identity.standing.refusals")
                .description("Tokens refused because Keycloak no longer stands behind their person")
                .register(meters);
        this.failedOpen = Counter.builder("platform.identity.standing.fail.open")
                .description("Requests admitted on their token alone: Keycloak had not answered recently enough")
                .register(meters);
        this.enabled = properties.enabled();
        this.maxAge = properties.maxAge();
        this.refreshAfter = properties.refreshAfter();
        this.lookupTimeout = properties.lookupTimeout();
        this.clock = clock;
        this.known = Caffeine.newBuilder()
                .maximumSize(properties.maxAccounts())
                .expireAfterWrite(properties.rememberFor())
                .buildAsync(new AsyncCacheLoader<String, Known>() {
                    @Override
                    public CompletableFuture<Known> asyncLoad(String key, Executor executor) {
                        return ask(key, Known.NOTHING).toFuture();
                    }

                    @Override
                    public CompletableFuture<Known> asyncReload(String key, Known old, Executor executor) {
                        return ask(key, old).toFuture();
                    }
                });
    }

    private static Counter lookups(MeterRegistry meters, String result) {
        return Counter.builder("platform.identity.standing.lookups")
                .description("Questions to Keycloak's admin API about an account or the realm: answered, or failed "
                        + "(unreachable, too slow, breaker open)")
                .tag("result", result)
                .register(meters);
    }

    /** The authentication, or a {@link BadJwtException} (401 invalid_token) when its person has been cut off. */
    public Mono<PlatformAuthentication> admit(PlatformAuthentication authentication) {
        if (!enabled) {
            return Mono.just(authentication);
        }
        Jwt jwt = authentication.getToken();
        return switch (authentication.platformPrincipal()) {
            case PlatformPrincipal.ConsoleUser user ->
                    admit(authentication, user.userId(), token(jwt, jwt.getClaimAsString("sid")));
            // the merchant user who consented stands behind an ISV's token, but through an offline session that
            // outlives their console sessions: their account and the not-befores count, not their live sessions
            case PlatformPrincipal.IsvApplication isv -> admit(authentication, isv.merchantUserId(), token(jwt, null));
            // a client, with no person behind it: Keycloak stops issuing its tokens when it is disabled or deleted
            case PlatformPrincipal.WalletClient wallet -> Mono.just(authentication);
            // the same, and the key's own standing (revoked, rotated, source address) is the platform's: read from
            // its database on every request by the API's CI key filter
            case PlatformPrincipal.CiKey key -> Mono.just(authentication);
        };
    }

    private Mono<PlatformAuthentication> admit(PlatformAuthentication authentication, String userId, Token token) {
        if (userId == null) {
            return refused();
        }
        Instant now = clock.instant();
        Verdict account = verdictNow(userId, token, now);
        Verdict realm = verdictNow(REALM, token, now);
        if (account == Verdict.ADMIT && realm == Verdict.ADMIT) {
            return Mono.just(authentication);
        }
        if (account == Verdict.REFUSE || realm == Verdict.REFUSE) {
            return refused();
        }
        return Mono.zip(settled(userId, account, token), settled(REALM, realm, token))
                .flatMap(verdicts -> verdicts.getT1() == Verdict.ADMIT && verdicts.getT2() == Verdict.ADMIT
                        ? Mono.just(authentication)
                        : refused());
    }

    /**
     * The verdict on what this node knows now; renews that knowledge in the background when it is due. A verdict
     * that needs Keycloak fails open at once when Keycloak just failed to answer, or has been silent on this key for
     * {@code lookup-timeout} already: then one request waited in vain, and no other waits behind it.
     */
    private Verdict verdictNow(String key, Token token, Instant now) {
        // the first request for a key starts its lookup; it does not wait for it while its token is recent enough
        CompletableFuture<Known> entry = known.get(key);
        Known current = entry.isDone() ? entry.join() : Known.NOTHING;
        Verdict verdict = current.judge(token, now, maxAge);
        boolean quiet = current.failedSince(now.minus(QUIET_AFTER_FAILURE));
        if (verdict == Verdict.ASK_KEYCLOAK && (quiet || isStalled(key, now))) {
            return failOpen(verdict);
        }
        if (verdict == Verdict.ADMIT && entry.isDone() && !quiet && current.isDue(token, now, refreshAfter)) {
            known.synchronous().refresh(key);
        }
        return verdict;
    }

    private boolean isStalled(String key, Instant now) {
        Instant since = asking.get(key);
        return since != null && !since.isAfter(now.minus(lookupTimeout));
    }

    /** A verdict that needs Keycloak waits for a newer answer, at most {@code lookup-timeout}; then the token decides. */
    private Mono<Verdict> settled(String key, Verdict verdict, Token token) {
        if (verdict != Verdict.ASK_KEYCLOAK) {
            return Mono.just(verdict);
        }
        return Mono.fromFuture(newer(key), true)
                .timeout(lookupTimeout)
                .map(answer -> answer.judge(token, clock.instant(), maxAge))
                .onErrorResume(TimeoutException.class, slow -> Mono.just(Verdict.ASK_KEYCLOAK))
                .map(this::failOpen);
    }

    /** No answer recent enough came (Keycloak down, slow, or its breaker open): the genuine token decides. */
    private Verdict failOpen(Verdict verdict) {
        if (verdict != Verdict.ASK_KEYCLOAK) {
            return verdict;
        }
        failedOpen.increment();
        return Verdict.ADMIT;
    }

    /** An answer newer than the one judged: the lookup under way, or a new one (concurrent callers share either). */
    private CompletableFuture<Known> newer(String key) {
        CompletableFuture<Known> entry = known.get(key);
        return entry.isDone() ? known.synchronous().refresh(key) : entry;
    }

    /** Asks Keycloak; never fails (a failure keeps the previous answer and notes when), so the cache keeps its entry. */
    private Mono<Known> ask(String key, Known previous) {
        return Mono.defer(() -> {
                    Instant askedAt = clock.instant();
                    asking.put(key, askedAt);
                    return lookup(key, askedAt)
                            .doFinally(signal -> asking.remove(key, askedAt));
                })
                .map(standing -> new Known(standing, null))
                .doOnNext(answer -> answered.increment())
                .onErrorResume(failure -> {
                    unanswered.increment();
                    reportFailure(key, failure);
                    return Mono.just(previous.failed(clock.instant()));
                });
    }

    /**
     * Failing open must not go unnoticed (a service account that lost {@code view-users} would switch the check off
     * silently): a warning at most once a minute, the rest at debug; every failure is counted.
     */
    private void reportFailure(String key, Throwable failure) {
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last >= WARN_EVERY.toNanos() && lastWarning.compareAndSet(last, now)) {
            log.warn("Keycloak did not say how accounts stand (e.g. {}); their tokens decide until it does: {}", key,
                    failure.toString());
        } else {
            log.debug("Keycloak did not say how {} stands; its tokens decide until it does: {}", key, failure.toString());
        }
    }

    private Mono<Standing> lookup(String key, Instant askedAt) {
        if (REALM.equals(key)) {
            return lookups.realmNotBefore().get()
                    .map(notBefore -> Standing.ofRealm(notBefore, askedAt))
                    .defaultIfEmpty(Standing.ofRealm(null, askedAt));
        }
        return lookups.account().apply(key)
                .map(account -> Standing.of(account, askedAt));
    }

    private static Token token(Jwt jwt, String sessionId) {
        Instant issuedAt = jwt.getIssuedAt();
        return new Token(issuedAt == null ? Instant.EPOCH : issuedAt, sessionId);
    }

    private <T> Mono<T> refused() {
        refusals.increment();
        return Mono.error(new BadJwtException(
                "Keycloak no longer stands behind this token: its account is disabled or deleted, or it was signed out"));
    }
}
