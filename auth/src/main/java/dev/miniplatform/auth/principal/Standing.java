package dev.miniplatform.auth.principal;

import dev.miniplatform.auth.keycloak.AccountState;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Keycloak's answer about one account (or about the whole realm), with the moment it was asked for, and how it
 * judges a token. The token is evidence too: Keycloak issues or refreshes a token only for an enabled account, in a
 * live session, after every not-before, so a token says "in good standing at {@code iat}". Whichever evidence is
 * newer wins, and none older than {@code maxAge} admits anybody.
 *
 * @param active     the account exists and is enabled (always true for the realm)
 * @param notBefore  tokens issued before this are revoked; null if none
 * @param sessionIds the account's live sessions; null when sessions are not checked (the realm)
 * @param askedAt    when the question was sent: the answer describes Keycloak at this moment or later
 */
record Standing(boolean active, Instant notBefore, Set<String> sessionIds, Instant askedAt) {

    /**
     * {@code iat} has whole seconds, and Keycloak's clock is not this node's: only an answer asked for this much
     * after {@code iat} certainly describes Keycloak after the token was issued.
     */
    static final Duration SAME_MOMENT = Duration.ofSeconds(2);

    enum Verdict { ADMIT, REFUSE, ASK_KEYCLOAK }

    /**
     * What a token says of itself.
     *
     * @param issuedAt  {@code iat} ({@link Instant#EPOCH} when absent: the oldest evidence there is)
     * @param sessionId {@code sid}, or null when the session is not to be checked
     */
    record Token(Instant issuedAt, String sessionId) {
    }

    static Standing of(AccountState account, Instant askedAt) {
        return new Standing(account.active(), account.notBefore(), account.sessionIds(), askedAt);
    }

    static Standing ofRealm(Instant notBefore, Instant askedAt) {
        return new Standing(true, notBefore, null, askedAt);
    }

    /** With nothing known from Keycloak yet, the token is the only evidence. */
    static Verdict judgeTokenAlone(Token token, Instant now, Duration maxAge) {
        return isRecent(token.issuedAt(), now, maxAge) ? Verdict.ADMIT : Verdict.ASK_KEYCLOAK;
    }

    Verdict judge(Token token, Instant now, Duration maxAge) {
        if (notBefore != null && token.issuedAt().isBefore(notBefore)) {
            return Verdict.REFUSE;
        }
        boolean vouches = vouchesFor(token);
        if (!vouches && !askedAt.isBefore(token.issuedAt().plus(SAME_MOMENT))) {
            return Verdict.REFUSE;
        }
        // a refusal asked for before the token was issued is outdated by the token itself (re-enabled, new session)
        Instant newest = vouches && askedAt.isAfter(token.issuedAt()) ? askedAt : token.issuedAt();
        return isRecent(newest, now, maxAge) ? Verdict.ADMIT : Verdict.ASK_KEYCLOAK;
    }

    /**
     * Whether the next request should renew this answer: it is {@code refreshAfter} old, or it refuses a token that
     * may be newer than it.
     */
    boolean isDue(Token token, Instant now, Duration refreshAfter) {
        return !isRecent(askedAt, now, refreshAfter)
                || !vouchesFor(token) && askedAt.isBefore(token.issuedAt().plus(SAME_MOMENT));
    }

    private boolean vouchesFor(Token token) {
        return active && (sessionIds == null || token.sessionId() == null || sessionIds.contains(token.sessionId()));
    }

    private static boolean isRecent(Instant evidence, Instant now, Duration maxAge) {
        return evidence.isAfter(now.minus(maxAge));
    }
}
