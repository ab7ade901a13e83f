package dev.miniplatform.auth.principal;

import dev.miniplatform.auth.config.StandingProperties;
import dev.miniplatform.auth.keycloak.AccountState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decisions of {@link AccountStandings} against a Keycloak of the test's own, on a clock the test moves.
 * The real Keycloak, real tokens and two nodes: {@code AccountCutOffIntegrationTest} in platform-api.
 */
class AccountStandingsTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final Duration MAX_AGE = Duration.ofSeconds(5);
    private static final Duration REFRESH_AFTER = Duration.ofSeconds(3);

    private final MutableClock clock = new MutableClock(NOW);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final FakeKeycloak keycloak = new FakeKeycloak();
    private final AccountStandings standings = standings(true, Duration.ofSeconds(10));

    private AccountStandings standings(boolean enabled, Duration lookupTimeout) {
        return new AccountStandings(keycloak.lookups(),
                new StandingProperties(enabled, MAX_AGE, REFRESH_AFTER, lookupTimeout, 1000, Duration.ofMinutes(15)), clock,
                meters);
    }

    @Test
    void aRecentTokenIsAdmittedWithoutWaitingAndConcurrentFirstRequestsStartOneLookup() {
        keycloak.answer = Mono.never();
        PlatformAuthentication justIssued = person("user-1", "session-1", NOW.minusSeconds(1));

        StepVerifier.create(Flux.range(0, 20).flatMap(i -> standings.admit(justIssued)))
                .expectNextCount(20)
                .expectComplete()
                .verify(Duration.ofSeconds(5));

        assertThat(keycloak.accountLookups).hasValue(1);
        assertThat(keycloak.realmLookups).hasValue(1);
    }

    @Test
    void requestsWithEvidenceOlderThanMaxAgeWaitForOneSharedLookupAndAreRefusedWhenTheAccountIsGone() {
        Sinks.One<AccountState> answer = Sinks.one();
        keycloak.answer = answer.asMono();
        PlatformAuthentication old = person("user-1", "session-1", NOW.minus(Duration.ofMinutes(1)));

        StepVerifier.create(Flux.range(0, 20).flatMap(i -> outcome(standings.admit(old))).collectList())
                .then(() -> {
                    assertThat(keycloak.accountLookups).hasValue(1);
                    answer.tryEmitValue(AccountState.INACTIVE);
                })
                .assertNext(outcomes -> assertThat(outcomes).hasSize(20).containsOnly("refused"))
                .expectComplete()
                .verify(Duration.ofSeconds(5));
        assertThat(keycloak.accountLookups).hasValue(1);
    }

    @Test
    void anAccountDisabledAfterItsLastAnswerIsRefusedOnceThatAnswerIsMaxAgeOld() {
        keycloak.accounts.put("user-1", active("session-1"));
        PlatformAuthentication token = person("user-1", "session-1", NOW);
        assertThat(outcome(token)).isEqualTo("admitted");

        keycloak.accounts.put("user-1", AccountState.INACTIVE);
        clock.now = NOW.plusSeconds(1);
        assertThat(outcome(token)).as("within max-age of the last good answer").isEqualTo("admitted");
        clock.now = NOW.plus(MAX_AGE);
        assertThat(outcome(token)).isEqualTo("refused");

        // the refusal is remembered: the same token costs no more lookups
        int lookups = keycloak.accountLookups.get();
        clock.now = NOW.plus(MAX_AGE).plusSeconds(1);
        assertThat(outcome(token)).isEqualTo("refused");
        assertThat(keycloak.accountLookups).hasValue(lookups);
        assertThat(meters.counter("platform.identity.standing.refusals").count()).isEqualTo(2);
    }

    @Test
    void anActiveUserNeverWaitsTheAnswerIsRenewedInTheBackgroundAfterRefreshAfter() {
        keycloak.accounts.put("user-1", active("session-1"));
        PlatformAuthentication token = person("user-1", "session-1", NOW);
        assertThat(outcome(token)).isEqualTo("admitted");
        assertThat(keycloak.accountLookups).hasValue(1);

        keycloak.answer = Mono.never();
        clock.now = NOW.plus(REFRESH_AFTER).plusMillis(500);
        StepVerifier.create(standings.admit(token)).expectNextCount(1).expectComplete().verify(Duration.ofSeconds(1));
        StepVerifier.create(standings.admit(token)).expectNextCount(1).expectComplete().verify(Duration.ofSeconds(1));
        assertThat(keycloak.accountLookups).as("one renewal, shared").hasValue(2);
    }

    @Test
    void aSignedOutSessionIsRefusedWhileAnotherLiveSessionOfTheSameUserIsNot() {
        keycloak.accounts.put("user-1", active("session-2"));
        PlatformAuthentication signedOut = person("user-1", "session-1", NOW.minus(Duration.ofMinutes(1)));
        PlatformAuthentication live = person("user-1", "session-2", NOW.minus(Duration.ofMinutes(1)));

        assertThat(outcome(signedOut)).isEqualTo("refused");
        assertThat(outcome(live)).isEqualTo("admitted");
    }

    @Test
    void aNotBeforeOfTheUserOrOfTheRealmRefusesTokensIssuedBeforeIt() {
        keycloak.accounts.put("user-1", new AccountState(true, NOW.minusSeconds(30), Set.of("session-1")));
        assertThat(outcome(person("user-1", "session-1", NOW.minusSeconds(31)))).isEqualTo("refused");
        assertThat(outcome(person("user-1", "session-1", NOW.minusSeconds(30)))).isEqualTo("admitted");

        AccountStandings realmRevoked = standings(true, Duration.ofSeconds(10));
        keycloak.realmNotBefore = NOW.minusSeconds(10);
        assertThat(outcome(realmRevoked, person("user-1", "session-1", NOW.minusSeconds(20)))).isEqualTo("refused");
        assertThat(outcome(realmRevoked, person("user-1", "session-1", NOW.minusSeconds(5)))).isEqualTo("admitted");
    }

    @Test
    void aNewLoginAfterReEnablingIsAdmittedAtOnceThoughAnEarlierAnswerRefusedTheAccount() {
        keycloak.accounts.put("user-1", AccountState.INACTIVE);
        PlatformAuthentication before = person("user-1", "session-1", NOW.minus(Duration.ofMinutes(1)));
        assertThat(outcome(before)).isEqualTo("refused");

        keycloak.accounts.put("user-1", active("session-2"));
        clock.now = NOW.plusSeconds(3);
        PlatformAuthentication newLogin = person("user-1", "session-2", NOW.plusSeconds(3));
        assertThat(outcome(newLogin)).isEqualTo("admitted");
        assertThat(outcome(newLogin)).isEqualTo("admitted");
        assertThat(outcome(before)).as("the old session stays refused").isEqualTo("refused");
    }

    @Test
    void whenKeycloakDoesNotAnswerTheTokenDecidesAfterTheLookupTimeoutButARefusalStands() {
        AccountStandings impatient = standings(true, Duration.ofMillis(200));
        keycloak.accounts.put("user-1", AccountState.INACTIVE);
        PlatformAuthentication refusedBefore = person("user-1", "session-1", NOW.minus(Duration.ofMinutes(2)));
        assertThat(outcome(impatient, refusedBefore)).isEqualTo("refused");

        keycloak.answer = Mono.never();
        PlatformAuthentication other = person("user-2", "session-9", NOW.minus(Duration.ofMinutes(1)));
        assertThat(outcome(impatient, other)).as("hanging Keycloak: the token decides").isEqualTo("admitted");
        clock.now = NOW.plus(Duration.ofMinutes(1));
        assertThat(outcome(impatient, refusedBefore)).as("an answer newer than the token keeps refusing it").isEqualTo("refused");

        keycloak.answer = Mono.error(new IllegalStateException("circuit breaker open"));
        PlatformAuthentication third = person("user-3", "session-7", NOW.minus(Duration.ofMinutes(1)));
        assertThat(outcome(impatient, third)).as("failing Keycloak: the token decides").isEqualTo("admitted");
        assertThat(meters.counter("platform.identity.standing.fail.open").count()).isEqualTo(2);
        assertThat(meters.counter("platform.identity.standing.lookups", "result", "failed").count()).isEqualTo(1);
    }

    @Test
    void onceOneRequestWaitedInVainForAHangingKeycloakTheNextOnesDoNotWait() {
        AccountStandings impatient = standings(true, Duration.ofMillis(300));
        keycloak.answer = Mono.never();
        PlatformAuthentication old = person("user-1", "session-1", NOW.minus(Duration.ofMinutes(1)));
        long start = System.nanoTime();
        assertThat(outcome(impatient, old)).isEqualTo("admitted");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the first one waited").isGreaterThanOrEqualTo(Duration.ofMillis(300));

        clock.now = NOW.plusMillis(300);
        StepVerifier.create(impatient.admit(old))
                .expectNextCount(1)
                .expectComplete()
                .verify(Duration.ofMillis(200));
        assertThat(keycloak.accountLookups).hasValue(1);
    }

    @Test
    void anIsvTokenStandsOnTheMerchantUsersAccountNotOnTheirLiveSessions() {
        keycloak.accounts.put("merchant-user", active());
        Jwt jwt = jwt("merchant-user", "an-offline-session", NOW.minus(Duration.ofMinutes(1)));
        PlatformAuthentication isv = new PlatformAuthentication(jwt, new PlatformPrincipal.IsvApplication(
                "isv-lakeside", "tenant-42", "merchant-user", Set.of("miniprogram:read"), null), List.of());
        assertThat(outcome(isv)).isEqualTo("admitted");

        AccountStandings later = standings(true, Duration.ofSeconds(10));
        keycloak.accounts.put("merchant-user", AccountState.INACTIVE);
        assertThat(outcome(later, isv)).isEqualTo("refused");
    }

    @Test
    void walletsAreNeverLookedUpAndAStandingsCheckSwitchedOffLooksUpNobody() {
        keycloak.answer = Mono.error(new AssertionError("Keycloak asked"));
        Jwt jwt = jwt("service-account-wallet", null, NOW.minus(Duration.ofMinutes(4)));
        PlatformAuthentication wallet = new PlatformAuthentication(jwt, new PlatformPrincipal.WalletClient(
                "wallet-demo", UUID.randomUUID(), Set.of("metadata:read")), List.of());

        assertThat(outcome(wallet)).isEqualTo("admitted");
        assertThat(outcome(standings(false, Duration.ofSeconds(1)), person("user-1", "s", NOW.minus(Duration.ofMinutes(4)))))
                .isEqualTo("admitted");
        assertThat(keycloak.accountLookups).hasValue(0);
        assertThat(keycloak.realmLookups).hasValue(0);
    }

    private String outcome(PlatformAuthentication authentication) {
        return outcome(standings, authentication);
    }

    private static String outcome(AccountStandings standings, PlatformAuthentication authentication) {
        return outcome(standings.admit(authentication)).block(Duration.ofSeconds(5));
    }

    private static Mono<String> outcome(Mono<PlatformAuthentication> admitted) {
        return admitted
                .map(authentication -> "admitted")
                .onErrorResume(BadJwtException.class, refused -> Mono.just("refused"));
    }

    private static AccountState active(String... sessions) {
        return new AccountState(true, null, Set.of(sessions));
    }

    private static PlatformAuthentication person(String userId, String sessionId, Instant issuedAt) {
        return new PlatformAuthentication(jwt(userId, sessionId, issuedAt),
                new PlatformPrincipal.ConsoleUser(userId, "li", "li@example.com", Set.of()), List.of());
    }

    private static Jwt jwt(String subject, String sessionId, Instant issuedAt) {
        Jwt.Builder builder = Jwt.withTokenValue("token")
                .header("alg", "RS256")
                .subject(subject)
                .issuedAt(issuedAt)
                .expiresAt(issuedAt.plus(Duration.ofMinutes(5)));
        if (sessionId != null) {
            builder.claim("sid", sessionId);
        }
        return builder.build();
    }

    /** Keycloak as the standings see it: accounts by id and the realm's not-before, or one answer for every account. */
    private static final class FakeKeycloak {
        final Map<String, AccountState> accounts = new ConcurrentHashMap<>();
        final AtomicInteger accountLookups = new AtomicInteger();
        final AtomicInteger realmLookups = new AtomicInteger();
        volatile Instant realmNotBefore;
        volatile Mono<AccountState> answer;

        AccountStandings.Lookups lookups() {
            return new AccountStandings.Lookups(
                    userId -> {
                        accountLookups.incrementAndGet();
                        Mono<AccountState> fixed = answer;
                        return fixed != null ? fixed : Mono.just(accounts.getOrDefault(userId, AccountState.INACTIVE));
                    },
                    () -> {
                        realmLookups.incrementAndGet();
                        return Mono.justOrEmpty(realmNotBefore);
                    });
        }
    }

    private static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
