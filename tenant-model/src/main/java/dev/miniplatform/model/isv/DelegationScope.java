package dev.miniplatform.model.isv;

import java.util.Optional;

/**
 * What a merchant can let an ISV do, one OAuth client scope each. The consent text is what the merchant reads on
 * Keycloak's consent page, so it says in plain words everything the scope allows (and, where a merchant could
 * assume more, what it does not: only {@code miniprogram:release} puts anything live, in or outside batch jobs),
 * and ends with the scope's name. Keycloak's copy is brought in line whenever an ISV registers.
 */
public enum DelegationScope {

    MINIPROGRAM_READ("miniprogram:read",
            "See your mini programs, their logos, versions and releases (miniprogram:read)"),
    MINIPROGRAM_WRITE("miniprogram:write",
            "Create, change and delete your mini programs and upload new versions of them; not release them (miniprogram:write)"),
    MINIPROGRAM_RELEASE("miniprogram:release",
            "Submit your mini programs for review and put them live in wallets: release, pilot, roll back, cancel and "
                    + "take them offline (miniprogram:release)"),
    TEMPLATE_APPLY("template:apply",
            "Create mini programs in your workspace from the ISV's templates, with the settings the ISV gives them, and "
                    + "update them to newer template versions; not release them (template:apply)");

    private final String scope;
    private final String consentText;

    DelegationScope(String scope, String consentText) {
        this.scope = scope;
        this.consentText = consentText;
    }

    public String scope() {
        return scope;
    }

    public String consentText() {
        return consentText;
    }

    public static Optional<DelegationScope> of(String scope) {
        for (DelegationScope each : values()) {
            if (each.scope.equals(scope)) {
                return Optional.of(each);
            }
        }
        return Optional.empty();
    }
}
