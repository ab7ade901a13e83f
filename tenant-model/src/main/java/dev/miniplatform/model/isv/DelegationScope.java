package dev.miniplatform.model.isv;

import java.util.Optional;

/**
 * What a merchant can let an ISV do, one OAuth client scope each. The consent text is what the merchant reads on
 * Keycloak's consent page, so it names the scope in plain words.
 */
public enum DelegationScope {

    MINIPROGRAM_READ("miniprogram:read", "Read your mini programs, their versions and releases (miniprogram:read)"),
    MINIPROGRAM_WRITE("miniprogram:write", "Create and change your mini programs and upload versions (miniprogram:write)"),
    MINIPROGRAM_RELEASE("miniprogram:release", "Submit your mini programs for review and release them (miniprogram:release)"),
    TEMPLATE_APPLY("template:apply", "Create your mini programs from the ISV's templates (template:apply)");

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
