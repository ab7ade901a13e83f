package dev.miniplatform.auth.principal;

import java.util.Set;

/**
 * Who is calling, as the platform understands it. Exactly three kinds of caller exist (DESIGN §1); every
 * authorization decision starts by asking which one this is.
 */
public sealed interface PlatformPrincipal permits PlatformPrincipal.ConsoleUser, PlatformPrincipal.IsvApplication,
        PlatformPrincipal.WalletClient {

    /** Stable id for audit logs and rate-limit keys. */
    String actorId();

    /**
     * A person logged in to the console (owner, master, developer, reviewer or admin).
     *
     * @param userId        the Keycloak subject
     * @param realmRoles    platform-wide roles such as {@code platform-reviewer}
     * @param emailVerified the token's {@code email_verified}: Keycloak has proven the person receives mail at
     *                      {@code email} (anyone can type any address into their account)
     */
    record ConsoleUser(String userId, String username, String email, Set<String> realmRoles, boolean emailVerified)
            implements PlatformPrincipal {

        /** A person whose address is not known to be theirs. */
        public ConsoleUser(String userId, String username, String email, Set<String> realmRoles) {
            this(userId, username, email, realmRoles, false);
        }

        @Override
        public String actorId() {
            return "user:" + userId;
        }
    }

    /**
     * An ISV's OAuth client acting for a merchant who consented.
     *
     * @param clientId             the ISV's Keycloak client ({@code azp})
     * @param merchantOrganization the merchant tenant's Keycloak organization alias, from the {@code organization} claim
     * @param merchantUserId       the merchant user who consented ({@code sub})
     * @param scopes               the consented scopes
     * @param consentedRequest     the platform's authorization request whose consent produced this token: the
     *                             token's {@code nonce}, which the platform put into that request's authorize URL and
     *                             Keycloak keeps in every token of that consent, refreshed or offline (null for a
     *                             token without one)
     */
    record IsvApplication(String clientId, String merchantOrganization, String merchantUserId, Set<String> scopes,
                          String consentedRequest) implements PlatformPrincipal {

        @Override
        public String actorId() {
            return "isv:" + clientId + ":for:" + merchantOrganization;
        }
    }

    /**
     * A wallet (super app) reading released metadata with client credentials.
     *
     * @param walletId the platform's wallet id, from the token's {@code wallet_id} claim (set by a mapper on the
     *                 wallet's Keycloak client when the wallet is registered)
     */
    record WalletClient(String clientId, java.util.UUID walletId, Set<String> scopes) implements PlatformPrincipal {

        @Override
        public String actorId() {
            return "wallet:" + clientId;
        }
    }
}
