package dev.miniplatform.auth.keycloak;

import java.time.Instant;
import java.util.Set;

/**
 * What Keycloak says about one user's account at the moment it is asked.
 *
 * @param active     the user exists and is enabled
 * @param notBefore  tokens issued before this are revoked (set when an admin signs the user out); null when never set
 * @param sessionIds the user's live sessions, as access tokens name them in {@code sid}
 */
public record AccountState(boolean active, Instant notBefore, Set<String> sessionIds) {

    /** Deleted or disabled: nothing else about the account matters. */
    public static final AccountState INACTIVE = new AccountState(false, null, Set.of());

    public AccountState {
        sessionIds = Set.copyOf(sessionIds);
    }
}
