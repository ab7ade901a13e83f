package dev.miniplatform.auth.principal;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * Who is calling, as the platform understands it. Three kinds of caller exist (DESIGN §1), and a fourth that
 * works for the first: a workspace's CI key, which a person made so a pipeline can upload and preview without
 * them. Every authorization decision starts by asking which one this is.
 */
public sealed interface PlatformPrincipal permits PlatformPrincipal.ConsoleUser, PlatformPrincipal.IsvApplication,
        PlatformPrincipal.WalletClient, PlatformPrincipal.CiKey {

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
    record WalletClient(String clientId, UUID walletId, Set<String> scopes) implements PlatformPrincipal {

        @Override
        public String actorId() {
            return "wallet:" + clientId;
        }
    }

    /**
     * A workspace's CI key: a confidential Keycloak client (client credentials) that may only upload, preview and
     * (when allowed) submit the mini programs its key names. The token only says which key it is; what the key may
     * do, whether it is revoked and from where it may be used are read from the database on every request.
     *
     * @param keyId       the platform's key id, from the token's {@code ci_key_id} claim
     * @param workspaceId the workspace the key belongs to, from the token's {@code workspace_id} claim
     * @param issuedAt    the token's {@code iat}: a token issued before the key's last rotation is refused
     */
    record CiKey(String clientId, UUID keyId, UUID workspaceId, Instant issuedAt) implements PlatformPrincipal {

        @Override
        public String actorId() {
            return "ci-key:" + clientId;
        }
    }
}
